import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { freePort } from '../../scripts/lib/net';
import { waitForRedis } from '../../scripts/lib/redis';
import { authed, startTestApi, type TestApi } from './support';

/**
 * Redis goes away under a running API: requests get a quick 503 that says so (not a hang),
 * health reports it, and the API recovers by itself when Redis is back.
 */

describe('Redis outage', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let api: TestApi;
  let token: string;

  // A SIGKILLed child keeps exitCode null: its signalCode says it is gone.
  const alive = () => redis !== undefined && redis.exitCode === null && redis.signalCode === null;
  // Idempotent both ways: a second server on the port would fail to bind and orphan the first.
  const startRedis = async () => {
    if (alive()) return;
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForRedis(port, () => (redis?.exitCode != null ? `exit ${redis.exitCode}` : null));
  };
  const stopRedis = async () => {
    const r = redis;
    if (!r || !alive()) return;
    await new Promise((resolve) => {
      r.once('exit', resolve);
      r.kill('SIGKILL');
    });
  };
  const createTask = () =>
    fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify({ prompt: 'p', files: { 'a.ts': '' } }) });

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    api = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${port}` });
    token = (await emulatorUser()).idToken;
  });
  afterAll(async () => {
    await startRedis().catch(() => undefined); // close() cleans up keys, so Redis must be up
    await api?.close();
    await stopRedis();
  });

  it('answers 503 at once while Redis is down, then works again when it is back', async () => {
    expect((await createTask()).status).toBe(202);

    await stopRedis();
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

    await startRedis();
    await expect.poll(async () => (await createTask()).status, { timeout: 10_000, interval: 200 }).toBe(202);
    expect((await fetch(`${api.url}/health/detailed`)).status).toBe(200);
  });

  it('reports an outage in its structured log only, never as raw errors on stderr', async () => {
    const raw = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await stopRedis();
      expect((await createTask()).status).toBe(503);
      await new Promise((r) => setTimeout(r, 500)); // a few reconnect attempts
      await startRedis();
      await expect.poll(async () => (await createTask()).status, { timeout: 10_000, interval: 200 }).toBe(202);
      expect(raw.mock.calls.map((c) => String(c[0]))).toEqual([]);
    } finally {
      raw.mockRestore();
    }
  });
});
