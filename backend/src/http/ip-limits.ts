import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors';

/**
 * Per-IP limits shared by every API process (counters in Redis): one on failed sign-ins
 * (missing, malformed or rejected tokens), so guessing or flooding without an account is cheap
 * to refuse, and none of its requests gets as far as parsing a body.
 */
export class UnauthenticatedLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    prefix: string,
    readonly perMinute: number,
  ) {
    this.limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:unauth`, points: perMinute, duration: 60, useRedisPackage: false });
  }

  /** Throws the 429 when this IP has used up its failed sign-ins for now. */
  async check(ip: string): Promise<void> {
    const state = await this.limiter.get(ip);
    if (state && state.consumedPoints >= this.perMinute) throw this.refusal(state);
  }

  /** Counts one failed sign-in from this IP. */
  async count(ip: string): Promise<void> {
    await this.limiter.penalty(ip, 1);
  }

  private refusal(state: RateLimiterRes): AppError {
    const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    return new AppError(
      429,
      'too_many_unauthenticated',
      `Too many requests without a valid sign-in from your address: at most ${this.perMinute} per minute. Sign in, or try again in ${retryAfter} s.`,
      { limit: 'unauthenticated_per_minute', used: state.consumedPoints, max: this.perMinute, retryAfterSeconds: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}
