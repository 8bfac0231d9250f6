import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { AGENT_TASK_QUEUE, DEV_GATEWAY_TOKEN, parseEnv, workerEnvSchema, type GatewayModel } from '@patchpad/shared';
import { watchConnection } from '@patchpad/backend/redis-watch';
import { TaskStore } from '@patchpad/backend/tasks/store';
import { createGatewayClient } from './gateway-client';
import { createProcessor } from './processor';

async function main(): Promise<void> {
  const env = parseEnv(workerEnvSchema, process.env, 'worker');
  const log = pino({ name: 'worker', level: env.LOG_LEVEL, base: { service: 'worker' }, timestamp: pino.stdTimeFunctions.isoTime });
  const redis = watchConnection(new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }), 'tasks', log);
  const bullConnection = watchConnection(new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }), 'queue', log);
  const gateway = createGatewayClient({ baseUrl: env.GATEWAY_URL, apiKey: env.GATEWAY_SERVICE_TOKEN ?? DEV_GATEWAY_TOKEN, timeoutMs: env.MODEL_TIMEOUT_MS });

  // The gateway's model list (ids, context windows), asked lazily so the worker starts before
  // the API, and again after a minute: admins change the registry at run time.
  let listed: { at: number; models: GatewayModel[] } | null = null;
  const models = async () => {
    if (!listed || Date.now() - listed.at > 60_000) {
      const fresh = await gateway.models(AbortSignal.timeout(5000)).catch(() => null);
      if (fresh) listed = { at: Date.now(), models: fresh };
    }
    return listed?.models ?? [];
  };
  // With no DEFAULT_MODEL: the first model every user may use (a task names its model when the user picked one).
  const resolveDefault = async () => {
    const list = await models();
    return env.DEFAULT_MODEL ?? (list.find((m) => (m.required_plan ?? 'free') === 'free') ?? list[0])?.id ?? null;
  };
  const modelLimits = async (model: string) => {
    const m = (await models()).find((x) => x.id === model);
    return m?.context_window && m.max_output_tokens ? { contextWindow: m.context_window, maxOutputTokens: m.max_output_tokens } : null;
  };

  const store = new TaskStore(redis, env.REDIS_PREFIX);
  const processor = createProcessor({ store, gateway, defaultModel: resolveDefault, modelLimits, maxRepairs: env.MAX_REPAIR_ATTEMPTS, log });
  const worker = new Worker(AGENT_TASK_QUEUE, processor, {
    connection: bullConnection,
    prefix: `${env.REDIS_PREFIX}:bull`,
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_STALL_MS,
    stalledInterval: env.WORKER_STALL_MS,
  });
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  worker.on('ready', () => log.info({ concurrency: env.WORKER_CONCURRENCY, gateway: env.GATEWAY_URL }, 'worker ready'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing running tasks');
    // close() waits for running jobs; a second signal exits at once (their locks expire and BullMQ re-runs them).
    await worker.close();
    redis.disconnect();
    bullConnection.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => (stopping ? process.exit(1) : void stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
