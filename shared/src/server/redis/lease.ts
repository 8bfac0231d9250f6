import { randomBytes } from 'node:crypto';
import type { RedisClient } from './script';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

/**
 * A lease held by one process at a time across every process on one Redis: background duties
 * that must run in one place (integrating the audit log, reaping stuck tasks) take it before
 * each round. A holder that dies loses it after `ttlMs`; `renew` keeps it while working.
 */
export class Lease {
  private readonly token = randomBytes(12).toString('hex');

  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** True when this process holds the lease now (taking it or renewing it). */
  async acquire(): Promise<boolean> {
    if ((await this.redis.eval(RENEW, 1, this.key, this.token, this.ttlMs)) === 1) return true;
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}

/**
 * Runs `round` every `intervalMs` in whichever process holds the lease (the others just wait
 * their turn), until the returned stop function is called; stop waits for a round in progress,
 * then gives the lease up so another process takes over at once. A failed round is reported
 * and the next one runs as usual.
 */
export function runUnderLease(lease: Lease, intervalMs: number, round: () => Promise<unknown>, onError: (err: unknown) => void): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        if (await lease.acquire()) await round();
      } catch (err) {
        onError(err);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs).unref();
      });
    }
  })();
  return async () => {
    stopped = true;
    wake?.();
    await loop;
    await lease.release().catch(() => undefined);
  };
}
