import { NO_MODEL_HELP } from '@patchpad/shared';
import { loadConfig } from './config';
import { createLogger } from './log';
import { closeGracefully } from './http/graceful';
import { connectRedis, watchConnection } from '@patchpad/shared/server';
import { startBreakerReports } from './gateway/breaker-report';
import { AccountStore } from './quota/accounts';
import { QuotaLedger } from './quota/ledger';
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
  const settings = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
  const redis = watchConnection(connectRedis(settings, { name: `patchpad-gateway-${config.REDIS_PREFIX}-commands`, failFast: true }), 'commands', logger);
  const subscriber = watchConnection(connectRedis(settings, { name: `patchpad-gateway-${config.REDIS_PREFIX}-registry`, failFast: false }), 'registry', null);
  await new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(resolve, 5_000);
    redis.once('ready', () => (clearTimeout(timer), resolve()));
  });
  const accounts = new AccountStore(redis, config.REDIS_PREFIX, config.DEFAULT_PLAN);
  const ledger = new QuotaLedger(redis, config.REDIS_PREFIX);
  const gateway = await createGatewayModule({
    config,
    redis,
    subscriber,
    logger,
    planOf: async (uid) => (await accounts.get(uid)).plan,
    onSpend: (uid, taskId, tokens) => ledger.consume(uid, taskId, tokens),
  });
  const stopBreakerReports = startBreakerReports(redis, config.REDIS_PREFIX, gateway.breakers);
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
    await stopBreakerReports();
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
