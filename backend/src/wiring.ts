import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Express } from 'express';
import { AGENT_TASK_QUEUE } from '@patchpad/shared';
import { createApp } from './app';
import type { BackendConfig } from './config';
import type { Logger } from './log';
import { createFirebaseVerifier } from './auth/verifier';
import { bullPrefix, createTaskQueue } from './tasks/queue';
import { createProjectStore } from './projects/drivers/index';
import { createModelRegistry, type ModelRegistry } from './gateway/registry';

export type Backend = {
  app: Express;
  registry: ModelRegistry;
  redis: Redis;
  /** Ends long-lived responses (event streams) so that the HTTP server can close; call first. */
  drain: () => void;
  close: () => Promise<void>;
};

/**
 * Builds the API with its real dependencies (Redis, BullMQ, Firebase, the store, the model
 * registry). Shared by main.ts and the integration tests, so tests run what production runs.
 */
export async function createBackend(config: BackendConfig, logger: Logger): Promise<Backend> {
  const connections: Redis[] = [];
  const newRedis = () => {
    const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    // Event-stream readers disconnect themselves; forget them so close() does not grow.
    connection.once('end', () => {
      const at = connections.indexOf(connection);
      if (at !== -1) connections.splice(at, 1);
    });
    return connection;
  };
  const redis = newRedis();
  const queueConnection = newRedis();
  const queue = createTaskQueue(queueConnection, config.REDIS_PREFIX);
  const depth = new Queue(AGENT_TASK_QUEUE, { connection: queueConnection, prefix: bullPrefix(config.REDIS_PREFIX) });
  const registry = createModelRegistry(config);
  const draining = new AbortController();
  const app = createApp({
    config,
    logger,
    redis,
    newRedis,
    verifier: createFirebaseVerifier({
      projectId: config.FIREBASE_PROJECT_ID,
      adminEmails: config.ADMIN_EMAILS,
      emulatorHost: config.FIREBASE_AUTH_EMULATOR_HOST,
    }),
    queue,
    projectStore: await createProjectStore(config, logger),
    registry,
    queueDepth: () => depth.getWaitingCount(),
    shutdown: draining.signal,
  });
  return {
    app,
    registry,
    redis,
    drain: () => draining.abort(),
    async close() {
      await Promise.allSettled([queue.close(), depth.close()]);
      for (const connection of [...connections]) connection.disconnect();
    },
  };
}
