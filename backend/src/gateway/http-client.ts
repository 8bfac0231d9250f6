import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { UpstreamError } from './providers/types';

/** Keep-alive pools: a warm connection saves the TCP (and TLS) handshake on every call. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
  'https:': new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
};

/** `touch()` re-arms the silence timer: the reader calls it for every chunk it takes. */
export type UpstreamResponse = { status: number; headers: IncomingHttpHeaders; body: IncomingMessage; touch: () => void };
export type PostOptions = { provider: string; signal: AbortSignal; connectTimeoutMs: number; idleTimeoutMs: number };

/**
 * POSTs JSON to a provider over node:http(s) (lighter per call than fetch) with two timeouts
 * of its own: connecting, and silence (no headers, or no next chunk, for `idleTimeoutMs`).
 * Failures become UpstreamError with a kind the retry logic understands; an aborted `signal`
 * rejects with its reason.
 */
export function postJson(url: URL, headers: Record<string, string>, body: string, options: PostOptions): Promise<UpstreamResponse> {
  const { provider, signal } = options;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const agent = agents[url.protocol as keyof typeof agents];
    const req = send(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(err);
    };
    const idle = setTimeout(() => {
      const err = new UpstreamError(provider, 'idle_timeout', 504, `${provider} sent nothing for ${options.idleTimeoutMs} ms`);
      req.destroy(err);
      fail(err);
    }, options.idleTimeoutMs);
    let connectTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      req.destroy(signal.reason as Error);
      fail(signal.reason as Error);
    };
    const cleanup = () => {
      clearTimeout(idle);
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => {
        const err = new UpstreamError(
          provider,
          'connect_timeout',
          504,
          `could not connect to ${provider} at ${url.host} within ${options.connectTimeoutMs} ms`,
        );
        req.destroy(err);
        fail(err);
      }, options.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof UpstreamError || signal.aborted) return fail(signal.aborted ? (signal.reason as Error) : err);
      fail(new UpstreamError(provider, 'network', 0, `could not reach ${provider} at ${url.host}: ${err.code ?? err.message}`));
    });
    req.on('response', (res) => {
      if (settled) return void res.destroy();
      settled = true;
      signal.removeEventListener('abort', onAbort);
      clearTimeout(connectTimer);
      const touch = watchBody(res, idle, provider, options.idleTimeoutMs, signal);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, touch });
    });
    req.end(body);
  });
}

/**
 * Keeps the silence timer running over the body and ties the body to the abort signal.
 * (No 'data' listener here: it would start the flow before the reader is attached.)
 */
function watchBody(res: IncomingMessage, idle: NodeJS.Timeout, provider: string, idleMs: number, signal: AbortSignal): () => void {
  const onAbort = () => res.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  // The same timer, re-armed: it now destroys the body instead of the request.
  clearTimeout(idle);
  const timer = setTimeout(
    () => res.destroy(new UpstreamError(provider, 'idle_timeout', 504, `${provider} stopped sending for ${idleMs} ms mid-answer`)),
    idleMs,
  );
  res.once('close', () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
  res.on('error', () => clearTimeout(timer));
  return () => timer.refresh();
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads an error body briefly (upstream error pages can be large) and names the upstream's reason. */
export async function upstreamFailure(res: UpstreamResponse, provider: string): Promise<UpstreamError> {
  let text = '';
  try {
    for await (const chunk of res.body) {
      res.touch();
      text += (chunk as Buffer).toString('utf8');
      if (text.length > 4000) break;
    }
  } catch {
    // a cut error body still tells the status
  }
  res.body.destroy();
  let message = text.slice(0, 2000);
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    message = (typeof parsed.error === 'string' ? parsed.error : parsed.error?.message) ?? parsed.message ?? message;
  } catch {
    // not JSON: keep the text
  }
  return new UpstreamError(
    provider,
    'status',
    res.status,
    `${provider} answered ${res.status}: ${message.slice(0, 500) || 'no reason given'}`,
    retryAfterMs(res.headers['retry-after']),
  );
}
