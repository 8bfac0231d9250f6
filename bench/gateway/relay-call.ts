import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A chat-completions handler that passes each call to an OpenAI-compatible upstream (base URL
 * ending in /v1) on a keep-alive connection and pipes the answer back, reading nothing: the
 * floor of any gateway on node:http. The gateway bench's relay and the pipeline floor's model
 * route both use it.
 */
export function relayChat(upstreamBaseUrl: string): (req: IncomingMessage, res: ServerResponse) => void {
  const upstream = new URL(upstreamBaseUrl);
  const path = `${upstream.pathname.replace(/\/$/, '')}/chat/completions`;
  const agent = new Agent({ keepAlive: true });
  return (req, res) => {
    const call = request(
      { host: upstream.hostname, port: upstream.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
        answer.pipe(res);
      },
    );
    call.on('error', () => res.destroy());
    req.pipe(call);
  };
}
