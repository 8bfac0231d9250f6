import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { AppError } from '../http/errors';

const SCRIPT = readFileSync(new URL('./lua/rate-limit-1.lua', import.meta.url), 'utf8');

export type RateLimiter = { hit(uid: string, bucket: string): Promise<void> };

/** Per-user fixed-window limiter; a refusal is a 429 with Retry-After in seconds. */
export function createRateLimiter(redis: Redis, prefix: string, limitPerMinute: number): RateLimiter {
  redis.defineCommand('ppRateLimit', { numberOfKeys: 1, lua: SCRIPT });
  const windowMs = 60_000;
  return {
    async hit(uid, bucket) {
      const window = Math.floor(Date.now() / windowMs);
      const key = `${prefix}:{u:${uid}}:rate:${bucket}:${window}`;
      const [allowed, , resetMs] = (await (redis as Redis & { ppRateLimit: (...a: (string | number)[]) => Promise<number[]> }).ppRateLimit(
        key,
        limitPerMinute,
        windowMs,
      )) as [number, number, number];
      if (allowed !== 1) {
        const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
        throw new AppError(429, 'rate_limited', `Too many requests: at most ${limitPerMinute} per minute. Try again in ${retryAfter} s.`, undefined, {
          'Retry-After': String(retryAfter),
        });
      }
    },
  };
}
