import type { CallSignal } from './call-abort';

/**
 * Delay before retry number `retry` (0-based): exponential from `baseMs`, capped at `maxMs`,
 * with "full jitter" (uniform in [0, cap]) so that many callers retrying at once spread out.
 * A Retry-After from the upstream is honoured as a floor.
 */
export function retryDelayMs(retry: number, options: { baseMs: number; maxMs: number; retryAfterMs?: number | undefined; random?: () => number }): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  const jittered = Math.round(cap * (options.random ?? Math.random)());
  return Math.max(jittered, options.retryAfterMs ?? 0);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: CallSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
