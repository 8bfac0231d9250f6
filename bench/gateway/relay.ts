import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The floor of any gateway on node:http, for the gateway benchmark: a relay that passes each
 * call to the upstream on a keep-alive connection and pipes the answer back, reading nothing
 * (no credential, routing, parsing, accounting or log). Its own process, like the gateway's.
 */
const upstream = new URL(process.env.RELAY_UPSTREAM ?? '');
const agent = new Agent({ keepAlive: true });

const server = createServer((req, res) => {
  const call = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: `${upstream.pathname}/chat/completions`,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json' },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      answer.pipe(res);
    },
  );
  call.on('error', () => res.destroy());
  req.pipe(call);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
