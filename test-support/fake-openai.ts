import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequest = { model: string; messages: { role: string; content: string }[]; stream?: boolean };
export type FakeReply = string | { status: number; body: unknown } | { chunks: string[]; failMidStream?: boolean };

/**
 * An OpenAI-compatible upstream on loopback for tests: answers /v1/chat/completions (streamed
 * or not) with whatever `reply` returns for the request, and records every request it saw.
 */
export async function startFakeOpenAi(
  reply: (req: FakeRequest, index: number) => FakeReply | Promise<FakeReply>,
  /** Pause between streamed chunks: 2 ms lets a test act mid-stream; 0 is a model with no latency at all. */
  { chunkDelayMs = 2 }: { chunkDelayMs?: number } = {},
): Promise<{
  baseUrl: string;
  requests: FakeRequest[];
  close: () => Promise<void>;
}> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ data: [{ id: 'fake-model' }] }));
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.statusCode = 404;
      return res.end('{}');
    }
    const body = JSON.parse(await readBody(req)) as FakeRequest;
    requests.push(body);
    const answer = await reply(body, requests.length - 1);
    if (typeof answer === 'object' && 'status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(answer.body));
    }
    const chunks = typeof answer === 'string' ? splitText(answer) : answer.chunks;
    if (!body.stream) {
      res.setHeader('content-type', 'application/json');
      return res.end(
        JSON.stringify({
          id: 'x',
          model: body.model,
          choices: [{ message: { content: chunks.join('') } }],
          usage: { prompt_tokens: 11, completion_tokens: 7 },
        }),
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const [i, text] of chunks.entries()) {
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`);
      if (typeof answer === 'object' && answer.failMidStream && i === Math.floor(chunks.length / 2)) return res.destroy();
      if (chunkDelayMs > 0) await new Promise((r) => setTimeout(r, chunkDelayMs));
    }
    res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 11, completion_tokens: chunks.length } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function splitText(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 7) out.push(text.slice(i, i + 7));
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
