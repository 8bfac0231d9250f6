import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { OwnedRedis } from '../../test-support/reliability/owned-redis';
import { authed, startTestApi, type TestApi } from './support';

/**
 * Redis goes away under a running API: requests get a quick 503 that says so (not a hang),
 * health reports it, and the API recovers by itself when Redis is back.
 */

describe('Redis outage', () => {
  // Its own redis-server, which the test SIGKILLs and starts again (start and stop are idempotent).
  const redis = new OwnedRedis();
  let api: TestApi;
  let token: string;

  const createTask = () =>
    fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify({ prompt: 'p', files: { 'a.ts': '' } }) });

  beforeAll(async () => {
    await redis.start();
    api = await startTestApi({ REDIS_URL: redis.url });
    token = (await emulatorUser()).idToken;
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined); // close() cleans up keys, so Redis must be up
    await api?.close();
    await redis.stop();
  });

  it('answers 503 at once while Redis is down, then works again when it is back', async () => {
    expect((await createTask()).status).toBe(202);

    await redis.kill();
    const started = Date.now();
    const down = await createTask();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('2');
    expect(((await down.json()) as { error: { message: string } }).error.message).toMatch(/Redis/);
    const list = await fetch(`${api.url}/api/agent/tasks`, { headers: authed(token) });
    expect(list.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2_000);
    const health = await fetch(`${api.url}/health/detailed`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { checks: { redis: { ok: boolean } } }).checks.redis.ok).toBe(false);

    await redis.start();
    await expect.poll(async () => (await createTask()).status, { timeout: 10_000, interval: 200 }).toBe(202);
    expect((await fetch(`${api.url}/health/detailed`)).status).toBe(200);
  });

  it('reports an outage in its structured log only, never as raw errors on stderr', async () => {
    const raw = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await redis.kill();
      expect((await createTask()).status).toBe(503);
      await new Promise((r) => setTimeout(r, 500)); // a few reconnect attempts
      await redis.start();
      await expect.poll(async () => (await createTask()).status, { timeout: 10_000, interval: 200 }).toBe(202);
      expect(raw.mock.calls.map((c) => String(c[0]))).toEqual([]);
    } finally {
      raw.mockRestore();
    }
  });
});
