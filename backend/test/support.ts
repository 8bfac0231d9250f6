import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AGENT_TASK_QUEUE } from '@patchpad/shared';
import { createApp } from '../src/app';
import { loadConfig, type BackendConfig } from '../src/config';
import { createLogger } from '../src/log';
import { createFirebaseVerifier } from '../src/auth/verifier';
import { bullPrefix, createTaskQueue } from '../src/tasks/queue';
import { createProjectStore } from '../src/projects/drivers/index';
import { createModelRegistry } from '../src/gateway/registry';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type TestApi = { url: string; config: BackendConfig; redis: Redis; close: () => Promise<void> };

/**
 * The real app in-process against real Redis (own key prefix per test file) and the real
 * Auth emulator, on a random port; `close` removes every key and file it made.
 */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'patchpad-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST,
    FIREBASE_PROJECT_ID: process.env.FIREBASE_PROJECT_ID ?? 'demo-patchpad',
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL, 'backend-test');
  const readers: Redis[] = [];
  const newRedis = () => {
    const r = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    readers.push(r);
    return r;
  };
  const redis = newRedis();
  const queueConnection = newRedis();
  const queue = createTaskQueue(queueConnection, prefix);
  const depth = new Queue(AGENT_TASK_QUEUE, { connection: queueConnection, prefix: bullPrefix(prefix) });
  const app = createApp({
    config,
    logger,
    redis,
    newRedis,
    verifier: createFirebaseVerifier({ projectId: config.FIREBASE_PROJECT_ID, adminEmails: config.ADMIN_EMAILS, emulatorHost: config.FIREBASE_AUTH_EMULATOR_HOST }),
    queue,
    projectStore: await createProjectStore(config),
    registry: createModelRegistry(config),
    queueDepth: () => depth.getWaitingCount(),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    redis,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await queue.close();
      await depth.close();
      await deleteKeys(redis, `${prefix}:*`);
      for (const r of readers) r.disconnect();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export function authed(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...extra };
}
