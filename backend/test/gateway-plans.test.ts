import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfigSchema, userModelsResponseSchema, type Plan } from '@patchpad/shared';
import { bodyOf } from '../../test-support/api-bodies';
import { startFakeOpenAi, type FakeOpenAi } from '../../test-support/fake-openai';
import { emulatorAdmin, emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from './support';
import { adminModels, gatewayChat, modelBody } from './models-support';

describe('models per plan', () => {
  let upstream: FakeOpenAi;
  let api: TestApi;
  const plans = new Map<string, Plan>();
  let free: { uid: string; idToken: string };
  let pro: { uid: string; idToken: string };

  beforeAll(async () => {
    upstream = await startFakeOpenAi((req) => `answer from ${req.model}`);
    api = await startTestApi({ PROVIDER_MAX_RETRIES: '0' }, { planOf: async (uid) => plans.get(uid) ?? 'free' });
    const admin = adminModels(api, (await emulatorAdmin()).idToken);
    await admin.create(modelBody('basic', upstream.baseUrl));
    await admin.create(modelBody('premium', 'http://127.0.0.1:9/v1', { requiredPlan: 'pro', contextWindow: 200_000, maxOutputTokens: 8000 }));
    await admin.create(modelBody('flagship', upstream.baseUrl, { requiredPlan: 'enterprise', fallbacks: ['premium', 'basic'] }));
    await admin.create(modelBody('hidden', upstream.baseUrl, { active: false }));
    [free, pro] = await Promise.all([emulatorUser(), emulatorUser()]);
    plans.set(pro.uid, 'pro');
  });
  afterAll(async () => {
    await api.close();
    await upstream.close();
  });

  const visible = async (token: string) => bodyOf(await fetch(`${api.url}/api/models`, { headers: authed(token) }), userModelsResponseSchema);

  it('shows each user the active models their plan allows, with their limits', async () => {
    expect(await visible(free.idToken)).toEqual({
      plan: 'free',
      defaultModel: 'basic',
      models: [{ id: 'basic', name: 'Model basic', provider: 'openai_compatible', requiredPlan: 'free', contextWindow: 8192, maxOutputTokens: 1024 }],
    });
    expect((await visible(pro.idToken)).models.map((m) => m.id)).toEqual(['basic', 'premium']);
    expect((await fetch(`${api.url}/api/models`)).status).toBe(401);
    // The SPA's boot config lists the free plan's models.
    const config = await bodyOf(await fetch(`${api.url}/api/config`), clientConfigSchema);
    expect(config.models.map((m) => m.id)).toEqual(['basic']);
  });

  it("refuses a model above the user's plan, naming both plans", async () => {
    const res = await gatewayChat(api, { model: 'premium', user: free.uid });
    expect(res.status).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'model_not_allowed', details: { requiredPlan: 'pro', plan: 'free' } });
    expect(res.json().error.message).toBe('Model "premium" needs the pro plan; this user is on the free plan');
  });

  it("skips fallbacks above the user's plan", async () => {
    const admin = adminModels(api, (await emulatorAdmin()).idToken);
    await admin.create(modelBody('pro-backup', upstream.baseUrl, { requiredPlan: 'pro' }));
    await admin.create(modelBody('down', 'http://127.0.0.1:9/v1', { fallbacks: ['pro-backup', 'basic'] }));
    const forFree = await gatewayChat(api, { model: 'down', user: free.uid });
    expect(forFree.json().choices[0]!.message.content).toBe('answer from basic');
    const forPro = await gatewayChat(api, { model: 'down', user: pro.uid });
    expect(forPro.json().choices[0]!.message.content).toBe('answer from pro-backup');
    expect((await gatewayChat(api, { model: 'flagship', user: pro.uid })).status).toBe(403);
  });
});

describe('per-credential rate limit on the gateway', () => {
  let upstream: FakeOpenAi;
  let api: TestApi;
  beforeAll(async () => {
    upstream = await startFakeOpenAi(() => 'ok');
    api = await startTestApi({ GATEWAY_RATE_LIMIT_PER_MINUTE: '5', OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'm' });
  });
  afterAll(async () => {
    await api.close();
    await upstream.close();
  });

  it('lets exactly the limit through a burst of concurrent calls and answers the rest 429 with Retry-After', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => gatewayChat(api, { model: 'm' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(35);
    expect(refused.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    expect(refused[0]!.json().error).toMatchObject({ code: 'rate_limited', details: { limit: 5 } });
    expect(upstream.requests).toHaveLength(5);
  });

  it('never lets instances that lease tokens together exceed the shared limit', async () => {
    const env = { GATEWAY_RATE_LIMIT_PER_MINUTE: '300', OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'm' };
    const one = await startTestApi(env);
    const two = await startTestApi({ ...env, REDIS_PREFIX: one.config.REDIS_PREFIX });
    try {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 400 }, (_, i) => gatewayChat(i % 2 ? one : two, { model: 'm' })));
      // The bucket refills at 300 per minute meanwhile.
      const refilled = Math.ceil(((Date.now() - started) * 300) / 60_000);
      const ok = results.filter((r) => r.status === 200).length;
      // Each instance holds at most one lease of 3 tokens: at most that may go unused.
      expect(ok).toBeLessThanOrEqual(300 + refilled);
      expect(ok).toBeGreaterThanOrEqual(300 - 2 * 3);
      expect(results.filter((r) => r.status === 429)).toHaveLength(400 - ok);
    } finally {
      two.server.closeAllConnections();
      await new Promise((r) => two.server.close(r));
      await two.backend.close();
      await one.close();
    }
  });
});
