import type { GatewayAttempt, ModelEntry } from '@patchpad/shared';
import type { Logger } from '../log';
import { retryDelayMs, sleep } from './backoff';
import type { BreakerBoard, CircuitBreaker } from './breaker';
import type { KeyPools } from './key-pool';
import { providerFor } from './providers/index';
import { UpstreamError, type ProviderEvent, type ProviderRequest, type UpstreamFailureKind } from './providers/types';
import type { CallSignal } from './call-abort';

export type DispatchConfig = {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  keyCooldownMs: number;
};

/** An answer that has started: its first batch of events is in hand (empty if there was none), the rest follows from `rest`. */
export type OpenAnswer = {
  entry: ModelEntry;
  first: ProviderEvent[];
  rest: AsyncIterator<ProviderEvent[]>;
  attempts: GatewayAttempt[];
  /** Upstream calls made, the successful one included. */
  calls: number;
  /** Tell the breaker that the answer broke off after it started. */
  failed(err: unknown): void;
};

type Attempt = GatewayAttempt & { kind: UpstreamFailureKind | 'circuit_open' | 'no_key' | 'skipped'; retryAfterMs?: number };

/** Every model in the chain failed (or was skipped); says which and why. */
export class DispatchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly attempts: GatewayAttempt[],
    readonly calls: number,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'DispatchError';
  }
}

/**
 * Gets an answer started from the first model of `chain` that gives one: per model, retries
 * with exponential backoff and jitter (honouring Retry-After) on 429, 5xx, network errors and
 * timeouts; rotates pool keys past a 429/401; skips endpoints whose circuit is open; then the
 * next model. All of this happens before the first event, i.e. before anything reached the
 * caller: once an answer has started it is never replayed.
 */
export class Dispatcher {
  constructor(
    private readonly deps: { breakers: BreakerBoard; pools: KeyPools; config: DispatchConfig; log: Logger; random?: () => number },
    readonly now: () => number = Date.now,
  ) {}

  /** `chain`: the requested model, then its fallbacks; a fallback that may not be used is a `{skip}` note in its place. */
  async open(chain: readonly (ModelEntry | { skip: Attempt })[], request: Omit<ProviderRequest, 'model'>, signal: CallSignal): Promise<OpenAnswer> {
    const attempts: Attempt[] = [];
    const requested = chain[0] as ModelEntry;
    let calls = 0;
    for (const link of chain) {
      if ('skip' in link) {
        attempts.push(link.skip);
        continue;
      }
      const entry = link;
      const breaker = this.deps.breakers.for(`${entry.provider} ${entry.baseUrl}`);
      const pool = entry.apiKeyEnv ? this.deps.pools.get(entry.apiKeyEnv) : null;
      if (entry.apiKeyEnv && !pool) {
        attempts.push(note(entry, 'no_key', `its key variable ${entry.apiKeyEnv} is not set on this gateway`));
        continue;
      }
      for (let retry = 0; ;) {
        if (!breaker.allow(this.now())) {
          const s = breaker.status(this.now());
          attempts.push(
            note(entry, 'circuit_open', `circuit open after ${s.consecutiveFailures} failures in a row (last: ${s.lastError}); next try at ${s.retryAt}`),
          );
          break;
        }
        let key: string | undefined;
        if (pool) {
          const taken = pool.take(this.now());
          if (taken.key === null) {
            breaker.release();
            const wait = taken.readyAt - this.now();
            if (retry < this.deps.config.maxRetries && wait <= this.deps.config.retryMaxMs) {
              await sleep(wait, signal);
              retry++;
              continue;
            }
            attempts.push(note(entry, 'status', `every key in ${entry.apiKeyEnv} is resting after 429/401 answers`, 429, Math.max(0, wait)));
            break;
          }
          key = taken.key;
        }
        calls++;
        const request1: ProviderRequest = {
          model: entry.upstreamModel,
          messages: request.messages,
          temperature: request.temperature,
          maxTokens: Math.min(request.maxTokens ?? entry.maxOutputTokens, entry.maxOutputTokens),
        };
        const provider = providerFor(entry.provider, entry.baseUrl);
        const call = { apiKey: key, signal, connectTimeoutMs: this.deps.config.connectTimeoutMs, idleTimeoutMs: this.deps.config.idleTimeoutMs };
        const iterator = provider.chat(request1, call)[Symbol.asyncIterator]();
        try {
          const first = await iterator.next();
          breaker.success();
          const failed = (err: unknown) => {
            if (err instanceof UpstreamError) breaker.failure(err.message, this.now());
          };
          return { entry, first: first.done ? [] : first.value, rest: iterator, attempts: attempts.map(publicAttempt), calls, failed };
        } catch (err) {
          if (signal.aborted || !(err instanceof UpstreamError)) {
            breaker.release();
            throw signal.aborted ? signal.reason : err;
          }
          const attempt = note(entry, err.kind, err.message, err.status || undefined, err.retryAfterMs);
          attempts.push(attempt);
          const next = await this.afterFailure(err, breaker, pool && key ? { pool, key } : null, retry, signal);
          this.deps.log.warn({ model: entry.id, provider: entry.provider, status: err.status, kind: err.kind, next }, 'upstream attempt failed');
          if (next === 'stop') throw finalError(requested, attempts, calls, true);
          if (next === 'next_model') break;
          if (next === 'retry') retry++;
        }
      }
    }
    throw finalError(requested, attempts, calls, false);
  }

  /** Decides what follows a failed attempt, waiting first when a retry is due. */
  private async afterFailure(
    err: UpstreamError,
    breaker: CircuitBreaker,
    pooled: { pool: NonNullable<ReturnType<KeyPools['get']>>; key: string } | null,
    retry: number,
    signal: CallSignal,
  ): Promise<'retry' | 'rotate' | 'next_model' | 'stop'> {
    const { config } = this.deps;
    const now = this.now();
    const status = err.status;
    if (err.kind === 'status' && (status === 401 || status === 403)) {
      breaker.release();
      pooled?.pool.rest(pooled.key, now + config.keyCooldownMs);
      return pooled && pooled.pool.take(now).key !== null ? 'rotate' : 'next_model';
    }
    if (err.kind === 'status' && status === 429) {
      breaker.release();
      const delay = retryDelayMs(retry, { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, retryAfterMs: err.retryAfterMs, ...this.random() });
      pooled?.pool.rest(pooled.key, now + Math.max(delay, err.retryAfterMs ?? 0));
      if (pooled && pooled.pool.size > 1) return 'rotate';
      if (retry >= config.maxRetries || (err.retryAfterMs ?? 0) > config.retryMaxMs) return 'next_model';
      await sleep(delay, signal);
      return 'retry';
    }
    if (err.kind === 'status' && status >= 400 && status < 500 && status !== 408) {
      breaker.release();
      // 404: this endpoint lacks the model, another may have it; other 4xx: the request itself is refused.
      return status === 404 ? 'next_model' : 'stop';
    }
    breaker.failure(err.message, now);
    if (retry >= config.maxRetries) return 'next_model';
    await sleep(retryDelayMs(retry, { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, retryAfterMs: err.retryAfterMs, ...this.random() }), signal);
    return 'retry';
  }

  private random(): { random?: () => number } {
    return this.deps.random ? { random: this.deps.random } : {};
  }
}

function note(entry: ModelEntry, kind: Attempt['kind'], reason: string, status?: number, retryAfterMs?: number): Attempt {
  return {
    model: entry.id,
    provider: entry.provider,
    reason,
    kind,
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function publicAttempt(a: Attempt): GatewayAttempt {
  return { model: a.model, provider: a.provider, reason: a.reason, ...(a.status !== undefined ? { status: a.status } : {}) };
}

/** One error for the caller: the status that best describes the attempts, and every reason. */
export function finalError(requested: ModelEntry, attempts: Attempt[], calls: number, refused: boolean): DispatchError {
  const host = safeHost(requested.baseUrl);
  const reasons: string[] = [];
  // Consecutive identical failures (retries) read as one reason with a count.
  for (let i = 0; i < attempts.length;) {
    const a = attempts[i]!;
    let n = 1;
    while (attempts[i + n]?.model === a.model && attempts[i + n]?.reason === a.reason) n++;
    const reason = `${a.reason}${n > 1 ? ` (${n} tries)` : ''}`;
    reasons.push(a.model === requested.id ? reason : `fallback "${a.model}" (${a.provider}): ${reason}`);
    i += n;
  }
  const message = `Model "${requested.id}" (${requested.provider} at ${host}) failed: ${reasons.join('; ') || 'no attempt was possible'}`;
  const last = attempts.at(-1);
  const tried = attempts.filter((a) => a.kind !== 'skipped');
  if (refused && last) return new DispatchError(400, 'upstream_rejected', message, attempts.map(publicAttempt), calls);
  if (tried.length > 0 && tried.every((a) => a.status === 429)) {
    const wait = Math.min(...tried.map((a) => a.retryAfterMs ?? 1000));
    return new DispatchError(429, 'upstream_rate_limited', message, attempts.map(publicAttempt), calls, Math.max(1, Math.ceil(wait / 1000)));
  }
  if (tried.length > 0 && tried.every((a) => a.kind === 'circuit_open'))
    return new DispatchError(503, 'provider_unavailable', message, attempts.map(publicAttempt), calls, 5);
  if (last && (last.kind === 'connect_timeout' || last.kind === 'idle_timeout'))
    return new DispatchError(504, 'upstream_timeout', message, attempts.map(publicAttempt), calls);
  if (last && last.kind === 'network') return new DispatchError(502, 'upstream_unreachable', message, attempts.map(publicAttempt), calls);
  if (tried.length > 0 && tried.every((a) => a.kind === 'no_key'))
    return new DispatchError(503, 'provider_key_missing', message, attempts.map(publicAttempt), calls);
  return new DispatchError(502, 'upstream_error', message, attempts.map(publicAttempt), calls);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export type { Attempt as DispatchAttempt };
