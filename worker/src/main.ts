import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { AGENT_TASK_QUEUE, DEV_GATEWAY_TOKEN, parseEnv, workerEnvSchema, type GatewayModel, type WorkerEnv } from '@patchpad/shared';
import { bullPrefix, connectRedis, startHeartbeat, TaskStore, watchConnection, type RedisClient } from '@patchpad/shared/server';
import { initialConcurrency, loopMeter, nextConcurrency } from './concurrency';
import { typeCheckOff } from './pipeline/typecheck-pool';
import { createGatewayClient } from './gateway-client';
import { createProcessor } from './processor';

async function main(): Promise<void> {
  const env = parseEnv(workerEnvSchema, process.env, 'worker');
  const log = pino({ name: 'worker', level: env.LOG_LEVEL, base: { service: 'worker' }, timestamp: pino.stdTimeFunctions.isoTime });
  const settings = { url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES };
  const connect = (role: string) =>
    watchConnection(connectRedis(settings, { name: `patchpad-worker-${env.REDIS_PREFIX}-${role}`, failFast: false }), role, log);
  const redis = connect('tasks');
  const bullConnection = connect('queue');
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
  const runJob = createProcessor({
    store,
    gateway,
    defaultModel: resolveDefault,
    modelLimits,
    maxRepairs: env.MAX_REPAIR_ATTEMPTS,
    log,
    ...(env.TYPECHECK_PATCHES === 'off' ? { typecheck: typeCheckOff } : {}),
  });
  let running = 0;
  const processor: typeof runJob = async (job) => {
    running++;
    try {
      return await runJob(job);
    } finally {
      running--;
    }
  };
  const worker = new Worker(AGENT_TASK_QUEUE, processor, {
    connection: bullConnection,
    prefix: bullPrefix(env.REDIS_PREFIX),
    concurrency: env.WORKER_CONCURRENCY ?? initialConcurrency(env.WORKER_MAX_CONCURRENCY),
    lockDuration: env.WORKER_STALL_MS,
    stalledInterval: env.WORKER_STALL_MS,
  });
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  worker.on('ready', () =>
    log.info({ concurrency: worker.concurrency, sized: env.WORKER_CONCURRENCY === undefined, gateway: env.GATEWAY_URL }, 'worker ready'),
  );
  const sizing = env.WORKER_CONCURRENCY === undefined ? sizeConcurrency(worker, () => running, redis, env, log) : undefined;
  const stopHeartbeat = startHeartbeat(redis, env.REDIS_PREFIX, () => ({ concurrency: worker.concurrency, running }));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing running tasks');
    clearInterval(sizing);
    // close() waits for running jobs; a second signal exits at once (their locks expire and BullMQ re-runs them).
    await worker.close();
    await stopHeartbeat();
    redis.disconnect();
    bullConnection.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => (stopping ? process.exit(1) : void stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Every 2 s, resizes the worker's concurrency from what it measured (see concurrency.ts). */
function sizeConcurrency(worker: Worker, running: () => number, redis: RedisClient, env: WorkerEnv, log: Logger): NodeJS.Timeout {
  const queue = new Queue(AGENT_TASK_QUEUE, { connection: redis, prefix: bullPrefix(env.REDIS_PREFIX) });
  const loop = loopMeter();
  const timer = setInterval(async () => {
    const waiting = await queue.getWaitingCount().catch(() => 0);
    const sample = { concurrency: worker.concurrency, running: running(), waiting, loopUtilization: loop() };
    const next = nextConcurrency(sample, { min: 1, max: env.WORKER_MAX_CONCURRENCY });
    if (next !== sample.concurrency) {
      worker.concurrency = next;
      log.info({ ...sample, concurrency: next, was: sample.concurrency }, 'worker concurrency resized');
    }
  }, 2_000);
  timer.unref();
  return timer;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
