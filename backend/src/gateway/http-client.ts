import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { UpstreamError } from './providers/types';
import type { CallSignal } from './call-abort';

/** Keep-alive pools: a warm connection saves the TCP (and TLS) handshake on every call. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
  'https:': new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
};

/**
 * A provider's URL, taken apart once: handed a URL, node:http converts it to request options on
 * every call.
 */
export class Endpoint {
  readonly host: string;
  readonly secure: boolean;
  private readonly hostname: string;
  private readonly port: string;
  private readonly path: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.host = parsed.host;
    this.secure = parsed.protocol === 'https:';
    // A bracketed IPv6 literal is passed to node:http without its brackets.
    this.hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = parsed.port;
    this.path = `${parsed.pathname}${parsed.search}`;
  }

  /** Options for one POST: a fresh object, since node:http keeps a reference to it. */
  postOptions(headers: Record<string, string>) {
    return {
      protocol: this.secure ? 'https:' : 'http:',
      hostname: this.hostname,
      port: this.port || undefined,
      path: this.path,
      method: 'POST',
      agent: this.secure ? agents['https:'] : agents['http:'],
      headers,
    };
  }
}

/**
 * `touch()` re-arms the silence timer: the reader calls it for every chunk it takes. Headers
 * are read from `body.headers` where needed (node builds that object on first read).
 */
export type UpstreamResponse = { status: number; body: IncomingMessage; touch: () => void };
export type PostOptions = { provider: string; signal: CallSignal; connectTimeoutMs: number; idleTimeoutMs: number };

/**
 * POSTs JSON to a provider over node:http(s) (lighter per call than fetch) with two timeouts
 * of its own: connecting, and silence (no headers, or no next chunk, for `idleTimeoutMs`).
 * Failures become UpstreamError with a kind the retry logic understands; an aborted `signal`
 * rejects with its reason. One abort listener and one silence timer serve the whole call,
 * request and body: each listener added to a signal and removed again is measurable
 * at the gateway's rate. `headers` is the caller's own object for this call: content-type
 * and content-length are set on it rather than on a copy.
 */
export function postJson(url: Endpoint, headers: Record<string, string>, body: string, options: PostOptions): Promise<UpstreamResponse> {
  const { provider, signal, idleTimeoutMs } = options;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    const req = (url.secure ? httpsRequest : httpRequest)(url.postOptions(headers));
    let res: IncomingMessage | null = null;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      reject(err);
    };
    // Before the answer's headers: the request fails. After: the body is destroyed, and its reader throws.
    const silent = () => {
      if (res) return void res.destroy(new UpstreamError(provider, 'idle_timeout', 504, `${provider} stopped sending for ${idleTimeoutMs} ms mid-answer`));
      const err = new UpstreamError(provider, 'idle_timeout', 504, `${provider} sent nothing for ${idleTimeoutMs} ms`);
      req.destroy(err);
      fail(err);
    };
    const idle = setTimeout(silent, idleTimeoutMs);
    const onAbort = () => {
      const reason = signal.reason as Error;
      if (res) return void res.destroy(reason);
      req.destroy(reason);
      fail(reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let connectTimer: NodeJS.Timeout | undefined;
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
    req.on('response', (answer) => {
      if (settled) return void answer.destroy();
      settled = true;
      res = answer;
      clearTimeout(connectTimer);
      // The same timer keeps watching the body (re-armed per chunk by touch), and the same
      // abort listener now destroys the body; both go when the body closes.
      idle.refresh();
      answer.once('close', () => {
        clearTimeout(idle);
        signal.removeEventListener('abort', onAbort);
      });
      answer.on('error', () => clearTimeout(idle));
      resolve({ status: answer.statusCode ?? 0, body: answer, touch: () => idle.refresh() });
    });
    req.end(body);
  });
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
    retryAfterMs(res.body.headers['retry-after']),
  );
}
