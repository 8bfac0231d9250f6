import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { UsageRecord } from '@patchpad/shared';
import { countMessageTokens, countTokens } from '@patchpad/shared/tokens';
import { UsageStore } from '../src/usage/store';
import { startFakeOpenAi, type FakeOpenAi } from '../../test-support/fake-openai';
import { emulatorAdmin } from '../../test-support/emulator-users';
import { deleteKeys, REDIS_URL, startTestApi, type TestApi } from './support';
import { adminModels, gatewayChat, modelBody } from './models-support';

/** The UTC day `offset` days from today. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const call = (over: Partial<UsageRecord>): UsageRecord => ({
  at: `${day(0)}T10:00:00.000Z`,
  model: 'm1',
  provider: 'openai_compatible',
  uid: 'alice',
  taskId: null,
  tokensIn: 100,
  tokensOut: 10,
  tokenSource: 'provider',
  costNanoUsd: 1_000,
  latencyMs: 50,
  outcome: 'ok',
  attempts: 1,
  ...over,
});

describe('usage store (Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
  const store = new UsageStore(redis, prefix, { retentionDays: 30 });
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it('adds up 300 concurrent calls exactly, per day, per model and per user', async () => {
    const calls = Array.from({ length: 300 }, (_, i) =>
      call({
        uid: i % 3 === 0 ? 'bob' : 'alice',
        model: i % 2 ? 'm1' : 'm2',
        at: `${day(-1 + (i % 2))}T12:00:00.000Z`,
        outcome: i % 10 === 0 ? 'error' : 'ok',
      }),
    );
    await Promise.all(calls.map((c) => store.record(c)));
    const days = await store.usageByDay({ from: day(-2), to: day(0) });
    expect(days.map((d) => d.day)).toEqual([day(-2), day(-1), day(0)]);
    expect(days[0]!.total.calls).toBe(0);
    // Odd i → m1 today; even i → m2 yesterday.
    expect(days[1]!.byModel).toEqual({ m2: { calls: 150, errors: 30, tokensIn: 15_000, tokensOut: 1_500, costUsd: 0.00015, latencyMsTotal: 7_500 } });
    expect(days[2]!.total).toMatchObject({ calls: 150, errors: 0, tokensIn: 15_000 });
    const bob = await store.usageForUser('bob', { from: day(-1), to: day(0) });
    expect(bob.map((d) => d.total.calls)).toEqual([50, 50]);
    expect(await store.topUsers({ from: day(-1), to: day(0) })).toEqual([
      { uid: 'alice', costUsd: 0.0002, tokensIn: 20_000, tokensOut: 2_000, calls: 200 },
      { uid: 'bob', costUsd: 0.0001, tokensIn: 10_000, tokensOut: 1_000, calls: 100 },
    ]);
  });

  it('keeps each day only for the retention period', async () => {
    await store.record(call({ at: `${day(0)}T00:01:00.000Z` }));
    const ttl = await redis.ttl(`${prefix}:{usage:${day(0)}}:models`);
    const expiresAt = Date.now() + ttl * 1000;
    expect(Math.abs(expiresAt - Date.parse(`${day(31)}T00:00:00Z`))).toBeLessThan(5_000);
    // A late record for a day past the retention is not kept at all.
    await store.record(call({ at: `${day(-40)}T10:00:00.000Z` }));
    expect(await redis.exists(`${prefix}:{usage:${day(-40)}}:models`)).toBe(0);
  });

  it('refuses a reversed or too long range', async () => {
    await expect(store.usageByDay({ from: '2026-03-02', to: '2026-03-01' })).rejects.toThrow(RangeError);
    await expect(store.usageByDay({ from: '2020-01-01', to: '2026-01-01' })).rejects.toThrow(/at most 366 days/);
  });
});

describe('usage accounting through the gateway', () => {
  let upstream: FakeOpenAi;
  let api: TestApi;
  let noUsage = false;
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    upstream = await startFakeOpenAi(() => (noUsage ? { chunks: ['const answer = 42;\n', 'export default answer;'], noUsage: true } : 'Priced answer.'));
    api = await startTestApi({ PROVIDER_MAX_RETRIES: '0' });
    const admin = adminModels(api, (await emulatorAdmin()).idToken);
    await admin.create(modelBody('priced', upstream.baseUrl, { priceInputPerMTok: 3, priceOutputPerMTok: 15 }));
    await admin.create(modelBody('broken', 'http://127.0.0.1:9/v1'));
  });
  afterAll(async () => {
    await api.close();
    await upstream.close();
  });

  const usage = (uid: string) => api.backend.gateway.usage.usageForUser(uid, { from: today(), to: today() });

  it("books the provider's token counts, the registry's price, the user and the task", async () => {
    const res = await gatewayChat(api, { model: 'priced', user: 'carol' }, { taskId: 'task-1' });
    expect(res.status).toBe(200);
    await eventually(async () => expect((await usage('carol'))[0]!.total.calls).toBe(1));
    // The fake reports 11 in and one token per chunk (2 chunks of "Priced answer.").
    expect((await usage('carol'))[0]!.byModel.priced).toEqual({
      calls: 1,
      errors: 0,
      tokensIn: 11,
      tokensOut: 2,
      costUsd: (11 * 3 + 2 * 15) / 1e6,
      latencyMsTotal: expect.any(Number),
    });
    const key = `${api.config.REDIS_PREFIX}:{usage:${today()}}:calls`;
    const [latest] = (await api.redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
    const [, fields] = latest!;
    expect(JSON.parse(fields[1]!)).toMatchObject({
      uid: 'carol',
      taskId: 'task-1',
      model: 'priced',
      provider: 'openai_compatible',
      outcome: 'ok',
      tokenSource: 'provider',
      attempts: 1,
    });
  });

  it('counts tokens with the tokenizer when the provider reports none, and tells the caller the count', async () => {
    noUsage = true;
    try {
      const messages = [{ role: 'user', content: 'write the answer module' }];
      const res = await gatewayChat(api, { model: 'priced', user: 'dave', messages });
      const expected = { prompt_tokens: countMessageTokens(messages), completion_tokens: countTokens('const answer = 42;\nexport default answer;') };
      expect(res.json().usage).toMatchObject(expected);
      await eventually(async () =>
        expect((await usage('dave'))[0]!.byModel.priced).toMatchObject({ tokensIn: expected.prompt_tokens, tokensOut: expected.completion_tokens }),
      );
    } finally {
      noUsage = false;
    }
  });

  it('books failed calls as errors with no tokens, and a refused task id with a 400 naming the header', async () => {
    expect((await gatewayChat(api, { model: 'broken', user: 'erin' })).status).toBe(502);
    await eventually(async () =>
      expect((await usage('erin'))[0]!.byModel.broken).toMatchObject({ calls: 1, errors: 1, tokensIn: 0, tokensOut: 0, costUsd: 0 }),
    );
    const bad = await gatewayChat(api, { model: 'priced' }, { taskId: 'no spaces allowed' });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toMatch(/x-patchpad-task-id header/);
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
