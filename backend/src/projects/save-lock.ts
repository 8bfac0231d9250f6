import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@patchpad/shared/server';
import { AppError } from '../http/errors';

/**
 * Saves of one project run one at a time across every API instance: a save checks its base
 * version and then writes, and two saves from the same base must not both pass the check
 * (the second would silently overwrite the first). A Redis lock with a token, renewed while
 * the save runs, released only by its holder.
 */
export interface ProjectLock {
  run<T>(uid: string, projectId: string, fn: () => Promise<T>): Promise<T>;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

export function redisProjectLock(redis: RedisClient, prefix: string, options: { ttlMs?: number; waitMs?: number } = {}): ProjectLock {
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 15_000;
  return {
    async run(uid, projectId, fn) {
      const key = `${prefix}:{u:${uid}}:project:${projectId}:save-lock`;
      const token = randomBytes(12).toString('hex');
      const deadline = Date.now() + waitMs;
      for (let pause = 10; (await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK'; pause = Math.min(pause * 2, 200)) {
        if (Date.now() > deadline) throw AppError.conflict('Another save of this project is still running; try again in a moment');
        await new Promise((r) => setTimeout(r, pause));
      }
      // A slow save (a large project to a slow store) keeps its lock; a crashed one loses it after ttl.
      const renew = setInterval(() => void redis.eval(RENEW, 1, key, token, ttlMs).catch(() => undefined), ttlMs / 3);
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
      }
    },
  };
}
