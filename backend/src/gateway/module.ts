import type { RedisClient } from '@patchpad/shared/server';
import type { BackendConfig } from '../config';
import type { Logger } from '../log';
import { ModelCatalog } from '../models/catalog';
import { everyoneFree, type PlanOf } from '../models/plan';
import { envModelEntries } from '../models/seed';
import { ModelStore } from '../models/store';
import { UsageStore } from '../usage/store';
import { BreakerBoard } from './breaker';
import { Dispatcher } from './dispatcher';
import { KeyPools } from './key-pool';
import { CredentialRateLimit } from './rate-limit';
import { GatewayService } from './service';

export type GatewayModule = {
  catalog: ModelCatalog;
  store: ModelStore;
  breakers: BreakerBoard;
  usage: UsageStore;
  service: GatewayService;
  rateLimit: CredentialRateLimit;
  /** Stops the registry's timers and writes the usage still waiting. */
  close(): Promise<void>;
};

/**
 * The model registry and the gateway with their real dependencies. Shared by the API
 * (which also serves /gateway/v1) and the gateway-only process, so both run the same code.
 */
export async function createGatewayModule(options: {
  config: BackendConfig;
  redis: RedisClient;
  /** A dedicated connection for the registry's change notices; null: poll only. */
  subscriber: RedisClient | null;
  logger: Logger;
  planOf?: PlanOf;
  /** Counts a task's real spend against its user's quota. */
  onSpend?: (uid: string, taskId: string, tokens: number) => Promise<unknown>;
}): Promise<GatewayModule> {
  const { config, redis, logger } = options;
  const log = logger.child({ module: 'gateway' });
  const store = new ModelStore(redis, config.REDIS_PREFIX, log);
  const catalog = new ModelCatalog({
    store,
    subscriber: options.subscriber,
    log,
    envEntries: () => envModelEntries(config, new Date()),
    defaultModel: config.DEFAULT_MODEL,
    ollama: config.OLLAMA_AUTODETECT
      ? { url: config.OLLAMA_URL, timeoutMs: config.OLLAMA_PROBE_TIMEOUT_MS, refreshMs: config.OLLAMA_REFRESH_MS, contextWindow: config.OLLAMA_CONTEXT_WINDOW }
      : null,
  });
  await catalog.start();
  const breakers = new BreakerBoard({ threshold: config.BREAKER_FAILURE_THRESHOLD, openMs: config.BREAKER_OPEN_MS });
  const dispatcher = new Dispatcher({
    breakers,
    pools: new KeyPools(),
    log,
    config: {
      connectTimeoutMs: config.PROVIDER_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: config.PROVIDER_IDLE_TIMEOUT_MS,
      maxRetries: config.PROVIDER_MAX_RETRIES,
      retryBaseMs: config.PROVIDER_RETRY_BASE_MS,
      retryMaxMs: config.PROVIDER_RETRY_MAX_MS,
      keyCooldownMs: config.PROVIDER_KEY_COOLDOWN_MS,
    },
  });
  const usage = new UsageStore(redis, config.REDIS_PREFIX, {
    retentionDays: config.USAGE_RETENTION_DAYS,
    onError: (err, pending) => log.error({ err: err.message, pending }, 'usage records not written yet; kept for the next try'),
  });
  const service = new GatewayService({
    catalog,
    dispatcher,
    usage,
    planOf: options.planOf ?? everyoneFree,
    log,
    ...(options.onSpend ? { onSpend: options.onSpend } : {}),
  });
  const rateLimit = new CredentialRateLimit(redis, config.REDIS_PREFIX, config.GATEWAY_RATE_LIMIT_PER_MINUTE);
  return {
    catalog,
    store,
    breakers,
    usage,
    service,
    rateLimit,
    close: async () => {
      catalog.close();
      await usage.flush();
    },
  };
}
