import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type BackendConfig } from '../src/config';
import { createLogger } from '../src/log';
import type { ApiErrorBody } from '@patchpad/shared';
import type { RedisClient } from '@patchpad/shared/server';
import { createBackend, type Backend, type BackendOptions } from '../src/wiring';
import { deleteKeys } from '../../test-support/redis-keys';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type TestApi = {
  url: string;
  config: BackendConfig;
  redis: RedisClient;
  server: Server;
  backend: Backend;
  maintenance: Backend['maintenance'];
  drain: () => void;
  close: () => Promise<void>;
};

/**
 * The real app in-process against real Redis (own key prefix per test file) and the real
 * Auth emulator, on a random port; `close` removes every key and file it made.
 */
export async function startTestApi(env: Record<string, string> = {}, options: BackendOptions = {}): Promise<TestApi> {
  const prefix = env.REDIS_PREFIX ?? `t${Math.random().toString(36).slice(2, 10)}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'patchpad-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST,
    FIREBASE_PROJECT_ID: process.env.FIREBASE_PROJECT_ID ?? 'demo-patchpad',
    AUDIT_HMAC_KEY: 'test-audit-key-0123456789abcdef0123456789',
    // A developer's own Ollama must not add models to tests; the Ollama tests opt in.
    OLLAMA_AUTODETECT: 'false',
    ...env,
  });
  const backend = await createBackend(config, createLogger(config.LOG_LEVEL, 'backend-test'), options);
  const app = backend.app;
  const redis = backend.redis;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    redis,
    server,
    backend,
    maintenance: backend.maintenance,
    drain: backend.drain,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      // Background duties stop first, so nothing writes a key after the cleanup.
      await backend.close();
      const cleanup = new Redis(config.REDIS_URL);
      await deleteKeys(cleanup, `${prefix}:*`);
      cleanup.disconnect();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { deleteKeys };

export function authed(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...extra };
}

/**
 * A response's JSON body, typed as what the route answers (the types in @patchpad/shared's
 * schemas, or ApiError for a refusal). Only a cast, not a check: the tests' assertions check
 * the values, and a body of another shape still fails them. test-support/api-bodies.ts parses
 * a body with its schema instead, where the shape itself is what a test checks.
 */
export async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

/** What every refused request answers (apiErrorBodySchema); `D` is the error's `details`. */
export type ApiError<D = unknown> = { error: ApiErrorBody['error'] & { details?: D } };
