import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { AGENT_TASK_QUEUE } from '@patchpad/shared';
import { loadConfig } from './config';
import { createLogger } from './log';
import { createApp } from './app';
import { createFirebaseVerifier } from './auth/verifier';
import { bullPrefix, createTaskQueue } from './tasks/queue';
import { createProjectStore } from './projects/drivers/index';
import { createModelRegistry, NO_MODEL_HELP } from './gateway/registry';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'backend');
  const newRedis = () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  const redis = newRedis();
  const queueConnection = newRedis();
  const queue = createTaskQueue(queueConnection, config.REDIS_PREFIX);
  const depthQueue = new Queue(AGENT_TASK_QUEUE, { connection: queueConnection, prefix: bullPrefix(config.REDIS_PREFIX) });
  const registry = createModelRegistry(config);
  if (registry.models.length === 0) logger.warn(NO_MODEL_HELP);
  else logger.info({ models: registry.models.map((m) => `${m.id} (${m.provider})`), default: registry.defaultModel }, 'models configured');
  if (config.FIREBASE_AUTH_EMULATOR_HOST) logger.warn({ emulator: config.FIREBASE_AUTH_EMULATOR_HOST }, 'using the Firebase Auth emulator: tokens are unsigned, for local use only');

  const app = createApp({
    config,
    logger,
    redis,
    newRedis,
    verifier: createFirebaseVerifier({ projectId: config.FIREBASE_PROJECT_ID, adminEmails: config.ADMIN_EMAILS, emulatorHost: config.FIREBASE_AUTH_EMULATOR_HOST }),
    queue,
    projectStore: await createProjectStore(config),
    registry,
    queueDepth: () => depthQueue.getWaitingCount(),
  });
  const server = app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ url: `http://${config.HOST}:${port}` }, 'backend listening');
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await Promise.allSettled([queue.close(), depthQueue.close()]);
    redis.disconnect();
    queueConnection.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
