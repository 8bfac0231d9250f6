import { loadConfig } from './config';
import { createLogger } from './log';
import { closeGracefully } from './http/graceful';
import { createBackend } from './wiring';

/** Inside the 10 s Docker gives between SIGTERM and SIGKILL by default. */
const SHUTDOWN_GRACE_MS = 8_000;
import { NO_MODEL_HELP } from '@patchpad/shared';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'backend');
  const backend = await createBackend(config, logger);
  const models = backend.gateway.catalog.active();
  if (models.length === 0) logger.warn(NO_MODEL_HELP);
  else logger.info({ models: models.map((m) => `${m.id} (${m.provider})`), default: backend.gateway.catalog.defaultAmong(models) }, 'models configured');
  if (config.FIREBASE_AUTH_EMULATOR_HOST)
    logger.warn({ emulator: config.FIREBASE_AUTH_EMULATOR_HOST }, 'using the Firebase Auth emulator: tokens are unsigned, for local use only');

  const server = backend.app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ url: `http://${config.HOST}:${port}` }, 'backend listening');
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: finishing requests in flight');
    const outcome = await closeGracefully(server, backend.drain, SHUTDOWN_GRACE_MS);
    if (outcome === 'timed_out') logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still running after the grace period were cut');
    await backend.close();
    process.exit(0);
  };
  // A second Ctrl-C does not wait for the grace period.
  process.on('SIGINT', () => (stopping ? process.exit(1) : void stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
