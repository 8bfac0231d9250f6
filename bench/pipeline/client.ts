import { Agent, request, type IncomingMessage } from 'node:http';
import { readText } from '../../test-support/read-body';

/**
 * The benchmark's client, on node:http with kept-alive connections. It runs on the cores it
 * measures, so it should cost as little as a client can: its CPU is not Patchpad's, and the
 * floor and Patchpad are both driven by it.
 */
export type Route = { create: string; events: (id: string) => string; headers: Record<string, string> };

const agent = new Agent({ keepAlive: true });

function send(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Resolves at the stream's `result` event, rejects if the task ends without one. The rest of
 * the stream (the final status) is still read, so its connection goes back to the pool.
 */
function untilResult(res: IncomingMessage, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let error = '';
    let settled = false;
    const settle = (err?: Error) => {
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (settled) return;
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end !== -1 && !settled; end = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of message.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (event === 'error') error = data;
        if (event === 'result') settle();
        else if (/"status":"(failed|cancelled)"/.test(data)) settle(new Error(`task ${id} ended without a result: ${data} ${error}`));
      }
    });
    res.on('end', () => settled || settle(new Error(`the stream of task ${id} ended without a result`)));
    res.on('error', (err) => settled || settle(err));
  });
}

/** POST, then the stream until the result: ms from the POST to the `result` event, and the POST's own ms. */
export async function runTask(route: Route, body: string): Promise<{ id: string; postMs: number; totalMs: number }> {
  const started = performance.now();
  const created = await send(route.create, 'POST', route.headers, body);
  const answer = await readText(created);
  if (created.statusCode !== 202) throw new Error(`create answered ${created.statusCode}: ${answer}`);
  const { task } = JSON.parse(answer) as { task: { id: string } };
  const postMs = performance.now() - started;
  const stream = await send(route.events(task.id), 'GET', route.headers);
  if (stream.statusCode !== 200) throw new Error(`the stream of task ${task.id} answered ${stream.statusCode}: ${await readText(stream)}`);
  await untilResult(stream, task.id);
  return { id: task.id, postMs, totalMs: performance.now() - started };
}

/** `total` tasks, `inFlight` at a time, spread over the routes: tasks per second. */
export async function throughput(routes: (i: number) => Route, body: string, total: number, inFlight: number): Promise<{ seconds: number; tasksPerS: number }> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await runTask(routes(next++), body);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, tasksPerS: total / seconds };
}
