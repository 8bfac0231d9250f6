import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from './read-body';

export type FakeRequest = { model: string; messages: { role: string; content: string }[]; stream?: boolean; max_tokens?: number };
/**
 * What the fake answers: text (streamed or not, as asked), an error status (with headers such
 * as Retry-After), a stream that breaks (`failMidStream`), carries a malformed chunk
 * (`malformedAt`), goes silent (`hangAfter` chunks), reports no usage (`noUsage`), or no
 * answer at all (`hang`: not even headers).
 */
export type FakeReply =
  | string
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { chunks: string[]; failMidStream?: boolean; malformedAt?: number; hangAfter?: number; noUsage?: boolean }
  | { hang: true };

export type FakeOpenAi = {
  baseUrl: string;
  requests: FakeRequest[];
  /** Request headers, in the same order as `requests`. */
  headers: IncomingHttpHeaders[];
  /** Models listed at GET /api/tags, as an Ollama server would; null: no such route. */
  tags: string[] | null;
  /** TCP connections accepted so far (a client that keeps them alive opens one). */
  connections: number;
  close: () => Promise<void>;
};

/**
 * An OpenAI-compatible upstream on loopback for tests: answers /v1/chat/completions with
 * whatever `reply` returns for the request, and records every request it saw. With `tags`
 * it also answers Ollama's GET /api/tags.
 */
export async function startFakeOpenAi(
  reply: (req: FakeRequest, index: number, headers: IncomingHttpHeaders) => FakeReply | Promise<FakeReply>,
  /** `chunkDelayMs`: pause between streamed chunks; 2 ms lets a test act mid-stream, 0 is a model with no latency at all. */
  options: { tags?: string[]; chunkDelayMs?: number } = {},
): Promise<FakeOpenAi> {
  const chunkDelayMs = options.chunkDelayMs ?? 2;
  const requests: FakeRequest[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const fake: FakeOpenAi = { baseUrl: '', requests, headers, tags: options.tags ?? null, connections: 0, close: async () => undefined };
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ data: [{ id: 'fake-model' }] }));
    }
    if (req.method === 'GET' && req.url === '/api/tags' && fake.tags) {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ models: fake.tags.map((name) => ({ name, model: name, size: 1 })) }));
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.statusCode = 404;
      return res.end('{}');
    }
    const body = JSON.parse(await readText(req)) as FakeRequest;
    requests.push(body);
    headers.push(req.headers);
    const answer = await reply(body, requests.length - 1, req.headers);
    if (typeof answer === 'object' && 'hang' in answer) return; // closed by close()
    if (typeof answer === 'object' && 'status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      return res.end(JSON.stringify(answer.body));
    }
    const script = typeof answer === 'string' ? { chunks: splitText(answer) } : answer;
    const { chunks } = script;
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
      if (script.hangAfter === i) return;
      res.write(
        i === script.malformedAt ? 'data: {"choices": [{"delta": \n\n' : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`,
      );
      if (script.failMidStream && i === Math.floor(chunks.length / 2)) return res.destroy();
      if (chunkDelayMs > 0) await new Promise((r) => setTimeout(r, chunkDelayMs));
    }
    if (!script.noUsage) res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 11, completion_tokens: chunks.length } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  server.on('connection', () => fake.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

function splitText(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 7) out.push(text.slice(i, i + 7));
  return out;
}
