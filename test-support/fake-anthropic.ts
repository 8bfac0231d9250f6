import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AnthropicRequest = { model: string; system?: string; messages: { role: string; content: string }[]; max_tokens: number; stream: boolean };

/**
 * A Messages-API upstream on loopback speaking Anthropic's event stream (message_start,
 * content_block_delta, message_delta, message_stop), for the provider contract tests: an
 * answer, an error status, silence, a stream cut after some text (`cutAfter`), some text and
 * then an event that is not JSON (`malformedAfter`), or some text and then silence (`silentAfter`).
 */
export type AnthropicReply =
  | string
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { cutAfter: string }
  | { malformedAfter: string }
  | { silentAfter: string };

export async function startFakeAnthropic(reply: (req: AnthropicRequest) => AnthropicReply) {
  const requests: { body: AnthropicRequest; headers: Record<string, string | string[] | undefined> }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/messages') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as AnthropicRequest;
      requests.push({ body, headers: req.headers });
      const answer = reply(body);
      if (typeof answer === 'object' && 'hang' in answer) return; // closed by close()
      if (typeof answer === 'object' && 'status' in answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      send('message_start', { message: { usage: { input_tokens: 21, output_tokens: 1 } } });
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      if (typeof answer === 'object' && 'silentAfter' in answer) {
        send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: answer.silentAfter } });
        return; // closed by close()
      }
      if (typeof answer === 'object' && 'malformedAfter' in answer) {
        send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: answer.malformedAfter } });
        res.end('event: content_block_delta\ndata: {"type": "content_block_delta", "delta": \n\n');
        return;
      }
      if (typeof answer === 'object') {
        send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: answer.cutAfter } });
        // Let the text reach the client first, then break the connection without ending the stream.
        setTimeout(() => res.destroy(), 20);
        return;
      }
      for (let i = 0; i < answer.length; i += 5) send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: answer.slice(i, i + 5) } });
      send('content_block_stop', { index: 0 });
      send('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } });
      send('message_stop', {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
