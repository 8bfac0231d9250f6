import type { RedisClient } from '@patchpad/shared/server';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors';

/**
 * Failed sign-ins (missing, malformed or rejected tokens) per IP address, counted in Redis so
 * every API process shares them: guessing or flooding without an account is refused cheaply
 * once an address has used its allowance.
 */
export class UnauthenticatedLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisClient,
    prefix: string,
    readonly perMinute: number,
  ) {
    this.limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:unauth`, points: perMinute, duration: 60, useRedisPackage: false });
  }

  /** Counts one failed sign-in; throws the 429 when this address is over its allowance. */
  async hit(ip: string): Promise<void> {
    try {
      await this.limiter.consume(ip, 1);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw this.refusal(err);
      throw err;
    }
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
