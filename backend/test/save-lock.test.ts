import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisProjectLock } from '../src/projects/save-lock';
import { deleteKeys, REDIS_URL } from './support';

describe('the per-project save lock', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `lock${Math.random().toString(36).slice(2, 8)}`;
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs saves of one project one at a time, other projects in parallel, and releases on errors', async () => {
    const lock = redisProjectLock(redis, prefix);
    const log: string[] = [];
    const job =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`${name}+`);
        await sleep(ms);
        log.push(`${name}-`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([lock.run('u', 'p', job('a', 80, true)), lock.run('u', 'p', job('b', 10)), lock.run('u', 'q', job('c', 10))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('b+')).toBeGreaterThan(log.indexOf('a-')); // b waited for a, even though a threw
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-')); // another project did not wait
  });

  it('takes over a lock whose holder died (after its ttl), and gives up with 409 when a live save holds it too long', async () => {
    await redis.set(`${prefix}:{u:u}:project:dead:save-lock`, 'crashed-holder', 'PX', 150);
    const started = Date.now();
    expect(await redisProjectLock(redis, prefix).run('u', 'dead', async () => 'mine')).toBe('mine');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);

    const impatient = redisProjectLock(redis, prefix, { waitMs: 100 });
    const long = redisProjectLock(redis, prefix, { ttlMs: 90 }).run('u', 'busy', () => sleep(400)); // renewed past its ttl
    await sleep(20);
    await expect(impatient.run('u', 'busy', async () => 'never')).rejects.toMatchObject({ status: 409 });
    await long;
  });
});
