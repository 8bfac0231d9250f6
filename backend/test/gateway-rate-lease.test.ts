import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialRateLimit } from '../src/gateway/rate-limit';
import { deleteKeys } from '../../test-support/redis-keys';
import { REDIS_URL } from './support';

/** Counts the round trips the limiter makes: its script is defined on this client, so wrap what it defines. */
function countingRedis(): { redis: Redis; calls: () => number } {
  const redis = new Redis(REDIS_URL);
  let calls = 0;
  const define = redis.defineCommand.bind(redis);
  redis.defineCommand = (name, definition) => {
    define(name, definition);
    const commands = redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const command = commands[name]!;
    commands[name] = (...args) => {
      calls++;
      return command.apply(redis, args);
    };
  };
  return { redis, calls: () => calls };
}

describe('gateway rate limit: leases that follow demand', () => {
  const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
  const { redis, calls } = countingRedis();
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it('asks Redis a handful of times for a busy credential, and what it leased came out of the shared bucket', async () => {
    const perMinute = 120_000; // leases up to 1,200; the bucket refills 2 tokens per ms
    const limiter = new CredentialRateLimit(redis, prefix, perMinute);
    const started = Date.now();
    for (let i = 0; i < 2000; i++) await limiter.hit('busy-credential');
    const refilled = (Date.now() - started + 1) * (perMinute / 60_000);
    // Leases of 1, 2, 4, … 1024 cover 2000 calls in 11 round trips (fixed leases of 20 took 100).
    expect(calls()).toBeLessThanOrEqual(12);
    const [key] = await redis.keys(`${prefix}:*bucket`);
    const taken = perMinute - Number(await redis.hget(key!, 'tokens'));
    // What was leased came out of the shared bucket: the 2000 used (less what refilled
    // meanwhile), and at most the unused rest of the last lease on top.
    expect(taken).toBeGreaterThanOrEqual(2000 - refilled);
    expect(taken).toBeLessThanOrEqual(2000 + 1024);
  });

  it('still refuses past the limit with a lease of one token at a time', async () => {
    const limiter = new CredentialRateLimit(redis, prefix, 3);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => limiter.hit('small-credential')));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
  });
});
