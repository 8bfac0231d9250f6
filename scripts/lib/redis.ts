import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, redisAnswers, waitFor } from './net';
import type { ProcessSpec } from './supervisor';

export const REDIS_HELP = `Patchpad needs Redis 7 and found none. Any one of these works:
  1. Install it with your package manager (apt install redis-server, brew install redis, …) — npm start then runs its own.
  2. docker compose up -d redis   (from this folder; uses docker-compose.yml)
  3. Point REDIS_URL at one you have: REDIS_URL=redis://host:6379 npm start`;

export type RedisPlan = { url: string; source: 'REDIS_URL' | 'local' | 'spawned'; spec?: ProcessSpec; port?: number };

/** REDIS_URL if set; else a Redis already answering on 127.0.0.1:6379; else our own redis-server. */
export async function planRedis(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  probe: { localPort?: number; command?: string } = {},
): Promise<RedisPlan> {
  const localPort = probe.localPort ?? 6379;
  const command = probe.command ?? 'redis-server';
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'REDIS_URL' };
  if (await redisAnswers('127.0.0.1', localPort)) return { url: `redis://127.0.0.1:${localPort}`, source: 'local' };
  const found = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) throw new Error(REDIS_HELP);
  const port = await freePort();
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  return {
    url: `redis://127.0.0.1:${port}`,
    source: 'spawned',
    port,
    spec: {
      name: 'redis',
      command,
      // AOF keeps tasks and quotas across restarts; noeviction because losing queue keys silently is worse than an error.
      args: ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
    },
  };
}

export function waitForRedis(port: number, isDead: () => string | null): Promise<void> {
  return waitFor('redis-server', () => redisAnswers('127.0.0.1', port), 15_000, isDead);
}
