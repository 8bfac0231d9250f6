import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { AGENT_TASK_QUEUE, DEV_GATEWAY_TOKEN } from '@patchpad/shared';
import { bullPrefix, TaskStore } from '@patchpad/shared/server';
import { createGatewayClient } from '../worker/src/gateway-client';
import { createProcessor } from '../worker/src/processor';

/** The worker's real processor in this process, on its own connections, against an API's gateway. */
export function startInProcessWorker(options: { redisUrl: string; prefix: string; apiUrl: string; concurrency?: number; stallMs?: number }): {
  close: () => Promise<void>;
} {
  const commands = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const blocking = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  commands.on('error', () => undefined);
  blocking.on('error', () => undefined);
  const worker = new Worker(
    AGENT_TASK_QUEUE,
    createProcessor({
      store: new TaskStore(commands, options.prefix),
      gateway: createGatewayClient({ baseUrl: `${options.apiUrl}/gateway/v1`, apiKey: DEV_GATEWAY_TOKEN, timeoutMs: 10_000 }),
      defaultModel: async () => 'fake-model',
      maxRepairs: 0,
      log: pino({ level: 'silent' }),
      cancelPollMs: 100,
    }),
    {
      connection: blocking,
      prefix: bullPrefix(options.prefix),
      concurrency: options.concurrency ?? 4,
      // As WORKER_STALL_MS does for the worker process: a job whose worker lost Redis mid-task
      // goes back to the queue after this long.
      lockDuration: options.stallMs ?? 30_000,
      stalledInterval: options.stallMs ?? 30_000,
    },
  );
  worker.on('error', () => undefined);
  return {
    async close() {
      await worker.close();
      commands.disconnect();
      blocking.disconnect();
    },
  };
}
