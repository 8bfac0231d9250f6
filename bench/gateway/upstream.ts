import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A zero-latency OpenAI-compatible upstream for the gateway benchmark, in its own process so
 * that it never competes with the client or the gateway for an event loop. Streamed requests
 * get four content chunks, a usage chunk and [DONE] in one write; others one JSON body.
 */
const TEXT = ['Here is ', 'the answer ', 'you asked ', 'for.'];
const chunk = (content: string) =>
  `data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;
const STREAM =
  TEXT.map(chunk).join('') +
  'data: {"id":"x","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4}}\n\ndata: [DONE]\n\n';
const JSON_BODY = JSON.stringify({
  id: 'x',
  object: 'chat.completion',
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: TEXT.join('') }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
});

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(STREAM);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON_BODY);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
