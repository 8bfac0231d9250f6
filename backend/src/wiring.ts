import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Express } from 'express';
import { AGENT_TASK_QUEUE } from '@patchpad/shared';
import { createApp } from './app';
import { watchConnection } from './redis-watch';
import type { BackendConfig } from './config';
import type { Logger } from './log';
import { createFirebaseVerifier } from './auth/verifier';
import { bullPrefix, createTaskQueue } from './tasks/queue';
import { createProjectStore } from './projects/drivers/index';
import { createGatewayModule, type GatewayModule } from './gateway/module';
import type { PlanOf } from './models/plan';

export type Backend = {
  app: Express;
  gateway: GatewayModule;
  redis: Redis;
  /** Ends long-lived responses (event streams) so that the HTTP server can close; call first. */
  drain: () => void;
  close: () => Promise<void>;
};

/**
 * Builds the API with its real dependencies (Redis, BullMQ, Firebase, the store, the model
 * registry). Shared by main.ts and the integration tests, so tests run what production runs.
 */
export async function createBackend(config: BackendConfig, logger: Logger, options: { planOf?: PlanOf } = {}): Promise<Backend> {
  const connections: Redis[] = [];
  /**
   * Command connections fail fast while Redis is away (a 503 for that request, see
   * isRedisUnavailable) instead of queueing until it is back: an HTTP request must not hang.
   * Blocking readers (event streams) keep waiting and resume after a reconnect.
   */
  const connect = (role: 'commands' | 'queue' | null) => {
    const failFast = role !== null;
    const connection = new Redis(config.REDIS_URL, failFast ? { maxRetriesPerRequest: null, enableOfflineQueue: false } : { maxRetriesPerRequest: null });
    connections.push(connection);
    watchConnection(connection, role ?? 'events', role ? logger : null);
    // Event-stream readers disconnect themselves; forget them so close() does not grow.
    connection.once('end', () => {
      const at = connections.indexOf(connection);
      if (at !== -1) connections.splice(at, 1);
    });
    return connection;
  };
  const newRedis = () => connect(null);
  const redis = connect('commands');
  const queueConnection = connect('queue');
  // Fail-fast connections refuse commands until connected: give them a moment at start-up
  // (with Redis down the API still starts, answers 503, and recovers when Redis comes back).
  await Promise.all([redis, queueConnection].map((c) => whenReady(c, 5_000)));
  const queue = createTaskQueue(queueConnection, config.REDIS_PREFIX);
  const depth = new Queue(AGENT_TASK_QUEUE, { connection: queueConnection, prefix: bullPrefix(config.REDIS_PREFIX) });
  const gateway = await createGatewayModule({ config, redis, subscriber: connect(null), logger, ...options });
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
    gateway,
    ...options,
    queueDepth: () => depth.getWaitingCount(),
    shutdown: draining.signal,
  });
  return {
    app,
    gateway,
    redis,
    drain: () => draining.abort(),
    async close() {
      await gateway.close();
      await Promise.allSettled([queue.close(), depth.close()]);
      for (const connection of [...connections]) connection.disconnect();
    },
  };
}

function whenReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      connection.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    connection.once('ready', done);
  });
}
