import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './net';
import { planRedis, REDIS_HELP, waitForRedis } from './redis';
import { Supervisor } from './supervisor';

const dir = mkdtempSync(join(tmpdir(), 'patchpad-redis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding Redis for npm start', () => {
  it('prefers REDIS_URL', async () => {
    expect(await planRedis(dir, { REDIS_URL: 'redis://elsewhere:6380' })).toEqual({ url: 'redis://elsewhere:6380', source: 'REDIS_URL' });
  });

  it('stops with the three ways to get Redis when none answers and none is installed', async () => {
    await expect(planRedis(dir, {}, { localPort: await freePort(), command: 'redis-server-that-does-not-exist' })).rejects.toThrow(REDIS_HELP);
    expect(REDIS_HELP).toMatch(/package manager[\s\S]*docker compose[\s\S]*REDIS_URL/);
  });

  it('runs its own redis-server with AOF and noeviction in the data folder when none answers', async () => {
    const plan = await planRedis(dir, {}, { localPort: await freePort() });
    expect(plan.source).toBe('spawned');
    expect(plan.spec!.args).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--dir', join(dir, 'redis')]));
    const sup = new Supervisor([plan.spec!], () => undefined, { output: () => undefined });
    sup.startAll();
    try {
      await waitForRedis(plan.port!, () => sup.exited('redis'));
    } finally {
      await sup.stop();
    }
  });
});
