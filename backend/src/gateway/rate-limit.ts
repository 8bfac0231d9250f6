import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../http/errors';
import { defineScript, type RedisScript } from '../redis-script';

/**
 * Calls per minute per gateway credential, shared by every instance (token bucket in Redis).
 * The credential is known by a hash of it, never by its value.
 */
export class CredentialRateLimit {
  private readonly take: RedisScript;
  private readonly ids = new Map<string, string>();

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
  ) {
    this.take = defineScript(redis, new URL('./lua/token-bucket-1.lua', import.meta.url));
  }

  async hit(credential: string): Promise<void> {
    let id = this.ids.get(credential);
    if (!id) {
      id = createHash('sha256').update(credential).digest('hex').slice(0, 16);
      this.ids.set(credential, id);
    }
    const [allowed, waitMs] = (await this.take([`${this.prefix}:{gw:${id}}:bucket`], [this.perMinute, this.perMinute / 60_000])) as [number, number];
    if (allowed === 1) return;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError(
      429,
      'rate_limited',
      `This gateway credential may make ${this.perMinute} calls per minute; try again in ${retryAfter} s`,
      { limit: this.perMinute, retryAfterS: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}
