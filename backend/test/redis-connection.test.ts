import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '@patchpad/shared/server';
import { hasRedisServer, OwnedRedis } from '../../test-support/reliability/owned-redis';
import { isRedisUnavailable } from '../src/http/errors';

/**
 * What a connection does with a command when Redis goes away under it. The API's connections
 * (fail-fast) must give every request an answer; the workers' must carry on after an outage.
 */

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value, error: null as unknown, at: Date.now() }),
    (error: unknown) => ({ value: null, error, at: Date.now() }),
  );

describe.skipIf(!hasRedisServer())('Redis connections through an outage', () => {
  const redis = new OwnedRedis();
  const clients: RedisClient[] = [];
  const connect = async (failFast: boolean, commandTimeoutMs?: number) => {
    const client = connectRedis({ url: redis.url, clusterNodes: [] }, { name: 'patchpad-test-connection', failFast, commandTimeoutMs });
    client.on('error', () => undefined); // reconnect attempts while Redis is down
    clients.push(client);
    // A fail-fast connection refuses commands until it is connected.
    if (client.status !== 'ready') await new Promise((r) => client.once('ready', r));
    return client;
  };

  beforeAll(() => redis.start());
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await redis.stop();
  });

  it('fails a command that was in flight when Redis died, at once, as "Redis unavailable"', async () => {
    await redis.start();
    const client = await connect(true);
    // BLPOP holds the reply server-side, so the command is certainly written and unanswered.
    const inFlight = settle(client.blpop('patchpad-test:never', 5));
    await new Promise((r) => setTimeout(r, 100));
    const killed = Date.now();
    await redis.kill();
    const outcome = await inFlight;
    expect(outcome.error, 'the command was held for a reconnect').not.toBeNull();
    expect(isRedisUnavailable(outcome.error)).toBe(true);
    expect(outcome.at - killed).toBeLessThan(2_000);
  });

  it('fails a command Redis never answers once the command timeout passes, and works again after', async () => {
    await redis.start();
    const client = await connect(true, 300);
    redis.freeze();
    try {
      const started = Date.now();
      const outcome = await settle(client.get('patchpad-test:frozen'));
      expect(isRedisUnavailable(outcome.error)).toBe(true);
      expect(outcome.at - started).toBeGreaterThanOrEqual(250);
      expect(outcome.at - started).toBeLessThan(3_000);
    } finally {
      redis.thaw();
    }
    expect(await client.ping()).toBe('PONG');
  });

  it('lets a worker connection carry a command through the outage to the Redis that comes back', async () => {
    await redis.start();
    const client = await connect(false);
    const inFlight = settle(client.blpop('patchpad-test:later', 1));
    await new Promise((r) => setTimeout(r, 100));
    await redis.kill();
    await redis.start();
    const outcome = await inFlight;
    expect(outcome.error).toBeNull();
    expect(outcome.value).toBeNull(); // BLPOP's own timeout, answered by the new server
  });
});
