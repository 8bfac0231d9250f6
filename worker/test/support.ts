import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { AGENT_TASK_QUEUE, DEV_GATEWAY_TOKEN } from '@patchpad/shared';
import { bullPrefix, TaskStore } from '@patchpad/shared/server';
import { startFakeOpenAi, type FakeReply, type FakeRequest } from '../../test-support/fake-openai';
import { startTestApi, type TestApi } from '../../backend/test/support';
import { createGatewayClient } from '../src/gateway-client';
import { createProcessor } from '../src/processor';

export type ModelScript = (req: FakeRequest, i: number) => FakeReply | Promise<FakeReply>;

/**
 * A task's whole path in the test process: the real API on real Redis and the Auth emulator, a
 * BullMQ worker running the real processor, and a scripted OpenAI-compatible model behind the
 * gateway. `script` answers each model request, so a test can swap what the model says.
 */
export async function startPipeline(
  script: ModelScript,
  options: { concurrency?: number } = {},
): Promise<{ api: TestApi; upstream: Awaited<ReturnType<typeof startFakeOpenAi>>; close: () => Promise<void> }> {
  const upstream = await startFakeOpenAi(script);
  const api = await startTestApi({ OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model', RATE_LIMIT_PER_MINUTE: '1000' });
  const redis = new Redis(api.config.REDIS_URL, { maxRetriesPerRequest: null });
  const bull = new Redis(api.config.REDIS_URL, { maxRetriesPerRequest: null });
  const processor = createProcessor({
    store: new TaskStore(redis, api.config.REDIS_PREFIX),
    gateway: createGatewayClient({ baseUrl: `${api.url}/gateway/v1`, apiKey: DEV_GATEWAY_TOKEN, timeoutMs: 10_000 }),
    defaultModel: async () => 'fake-model',
    maxRepairs: 1,
    log: pino({ level: 'silent' }),
    cancelPollMs: 50,
  });
  const worker = new Worker(AGENT_TASK_QUEUE, processor, {
    connection: bull,
    prefix: bullPrefix(api.config.REDIS_PREFIX),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  return {
    api,
    upstream,
    close: async () => {
      await worker.close();
      redis.disconnect();
      bull.disconnect();
      await api.close();
      await upstream.close();
    },
  };
}
