import { Redis } from 'ioredis';
import { NO_MODEL_HELP } from '@patchpad/shared';
import { loadConfig } from './config';
import { createLogger } from './log';
import { closeGracefully } from './http/graceful';
import { watchConnection } from './redis-watch';
import { createGatewayModule } from './gateway/module';
import { createGatewayServer } from './gateway/app';

/**
 * `npm run start:gateway`: the model gateway as its own process on GATEWAY_PORT — same code,
 * same registry and usage in Redis as the API's /gateway/v1, a fraction of its memory.
 * Point the worker's GATEWAY_URL at http://<host>:<GATEWAY_PORT>/gateway/v1.
 */
const SHUTDOWN_GRACE_MS = 8_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'gateway', { buffered: true });
  // Fail fast while Redis is away (the call gets a 503) instead of queueing commands.
  const redis = watchConnection(new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, enableOfflineQueue: false }), 'commands', logger);
  const subscriber = watchConnection(new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }), 'registry', null);
  await new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(resolve, 5_000);
    redis.once('ready', () => (clearTimeout(timer), resolve()));
  });
  const gateway = await createGatewayModule({ config, redis, subscriber, logger });
  const models = gateway.catalog.active();
  if (models.length === 0) logger.warn(NO_MODEL_HELP);
  else logger.info({ models: models.map((m) => `${m.id} (${m.provider})`) }, 'models configured');

  const server = createGatewayServer({ config, logger, redis, gateway });
  server.listen(config.GATEWAY_PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.GATEWAY_PORT;
    logger.info({ url: `http://${config.HOST}:${port}/gateway/v1` }, 'gateway listening');
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing calls in flight');
    await closeGracefully(server, () => undefined, SHUTDOWN_GRACE_MS);
    await gateway.close();
    redis.disconnect();
    subscriber.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => (stopping ? process.exit(1) : void stop('SIGINT')));
  process.on('exit', () => logger.flush());
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
