import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { chatCompletionResponseSchema, DEV_GATEWAY_TOKEN, gatewayModelSchema } from '@patchpad/shared';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { createGatewayModule, type GatewayModule } from '../src/gateway/module';
import { createGatewayServer } from '../src/gateway/app';
import { startFakeOpenAi, type FakeOpenAi } from '../../test-support/fake-openai';
import { bodyOf, errorOf } from '../../test-support/api-bodies';
import { deleteKeys, REDIS_URL } from './support';

/** The gateway-only process (`npm run start:gateway`), in-process: same code, no product API. */
describe('gateway-only server', () => {
  const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
  let upstream: FakeOpenAi;
  let redis: Redis;
  let subscriber: Redis;
  let gateway: GatewayModule;
  let server: Server;
  let url: string;
  const auth = { Authorization: `Bearer ${DEV_GATEWAY_TOKEN}`, 'Content-Type': 'application/json' };

  beforeAll(async () => {
    upstream = await startFakeOpenAi(() => 'from the gateway process');
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      OLLAMA_AUTODETECT: 'false',
      OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl,
      OPENAI_COMPATIBLE_MODELS: 'solo',
    });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableOfflineQueue: false });
    subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    await new Promise((r) => redis.once('ready', r));
    const logger = createLogger('silent', 'gateway-test');
    gateway = await createGatewayModule({ config, redis, subscriber, logger });
    server = createGatewayServer({ config, logger, redis, gateway });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await gateway.close();
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
    subscriber.disconnect();
    await upstream.close();
  });

  const chat = (body: string, headers: Record<string, string> = auth) => fetch(`${url}/gateway/v1/chat/completions`, { method: 'POST', headers, body });

  it('answers chat completions with the service credential only', async () => {
    const ok = await chat(JSON.stringify({ model: 'solo', messages: [{ role: 'user', content: 'hi' }] }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    expect((await bodyOf(ok, chatCompletionResponseSchema)).choices[0]!.message.content).toBe('from the gateway process');
    const refused = await chat('{}', { 'Content-Type': 'application/json' });
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toMatchObject({ code: 'invalid_api_key' });
  });

  it('refuses bodies that are not JSON, too large, or malformed, saying which', async () => {
    const notJson = await chat('hello', { ...auth, 'Content-Type': 'text/plain' });
    expect(notJson.status).toBe(415);
    const broken = await chat('{"model":', auth);
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).message).toBe('Request body is not valid JSON');
    const huge = await chat(JSON.stringify({ model: 'solo', messages: [{ role: 'user', content: 'x'.repeat(9 * 1024 * 1024) }] }));
    expect(huge.status).toBe(413);
    const invalid = await chat(JSON.stringify({ model: 'solo', messages: [] }));
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).message).toMatch(/messages/);
  });

  it('lists models and reports health with the providers it called', async () => {
    const models = await bodyOf(await fetch(`${url}/gateway/v1/models`, { headers: auth }), z.object({ data: z.array(gatewayModelSchema) }));
    expect(models.data).toEqual([expect.objectContaining({ id: 'solo', context_window: 8192, required_plan: 'free' })]);
    const health = (await (await fetch(`${url}/health/detailed`)).json()) as { checks: Record<string, unknown> };
    expect(health).toMatchObject({
      status: 'ok',
      checks: { redis: { ok: true } },
      providers: [{ endpoint: `openai_compatible ${upstream.baseUrl}`, state: 'closed' }],
    });
    expect(health.checks.storage).toBeUndefined();
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  });
});
