import type { RedisClient } from '@patchpad/shared/server';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../http/errors';

/**
 * Package builds (imports not stored yet: each downloads and bundles) per user per hour,
 * shared by every API process. One key per user, on the user's hash tag (`{u:<uid>}`), so
 * it is cluster-safe; stored packages are served without counting.
 */
export interface BuildLimit {
  take(uid: string): Promise<void>;
}

export class RedisBuildLimit implements BuildLimit {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisClient,
    prefix: string,
    readonly perHour: number,
  ) {
    this.limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:pkgbuilds`, points: perHour, duration: 3600, useRedisPackage: false });
  }

  async take(uid: string): Promise<void> {
    try {
      await this.limiter.consume(`{u:${uid}}`, 1);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new AppError(
        429,
        'too_many_package_builds',
        `The preview fetched ${this.perHour} new packages for you in the last hour (PACKAGES_BUILDS_PER_HOUR); packages already fetched still load. Try again in ${retryAfter} s.`,
        { limit: 'packages_builds_per_hour', max: this.perHour, retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
  }
}
