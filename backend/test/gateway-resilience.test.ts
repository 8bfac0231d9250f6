import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayAttemptSchema, SseParser } from '@patchpad/shared';
import { z } from 'zod';
import { startFakeOpenAi, type FakeReply, type FakeRequest } from '../../test-support/fake-openai';
import { startFakeAnthropic } from '../../test-support/fake-anthropic';
import { emulatorAdmin } from '../../test-support/emulator-users';
import { startTestApi, type TestApi } from './support';
import { adminModels, gatewayChat, modelBody } from './models-support';

type Script = (req: FakeRequest, i: number, auth: string | undefined) => FakeReply | Promise<FakeReply>;
const FAST = {
  PROVIDER_RETRY_BASE_MS: '5',
  PROVIDER_MAX_RETRIES: '2',
  PROVIDER_RETRY_MAX_MS: '2000',
  PROVIDER_IDLE_TIMEOUT_MS: '300',
  BREAKER_FAILURE_THRESHOLD: '50',
};

/** A fake upstream whose behaviour each test sets, recording when each request came. */
async function scripted() {
  const state = { script: (() => 'OK') as Script, times: [] as number[] };
  const fake = await startFakeOpenAi((req, i, headers) => {
    state.times.push(Date.now());
    return state.script(req, i, headers.authorization?.replace(/^Bearer /, ''));
  });
  return Object.assign(state, { fake, reset: (s: Script) => ((state.script = s), (state.times = []), fake.requests.splice(0), fake.headers.splice(0)) });
}

const readStream = (text: string) => {
  const data: string[] = [];
  new SseParser((m) => data.push(m.data)).push(text);
  return data;
};

describe('gateway resilience: retries, fallbacks, key pools', () => {
  let api: TestApi;
  let admin: ReturnType<typeof adminModels>;
  let a: Awaited<ReturnType<typeof scripted>>;
  let b: Awaited<ReturnType<typeof scripted>>;
  let anthropic: Awaited<ReturnType<typeof startFakeAnthropic>>;
  let anthropicDown = true;
  const POOL = `PP_TEST_POOL_${process.pid}`;
  const ROUND = `PP_TEST_ROUND_${process.pid}`;

  beforeAll(async () => {
    [a, b] = await Promise.all([scripted(), scripted()]);
    anthropic = await startFakeAnthropic(() => (anthropicDown ? { status: 500, body: { type: 'error', error: { message: 'overloaded' } } } : 'from claude'));
    process.env[POOL] = 'k1,k2,k3';
    process.env[ROUND] = 'r1, r2';
    api = await startTestApi(FAST);
    admin = adminModels(api, (await emulatorAdmin()).idToken);
    const models = [
      modelBody('b-model', b.fake.baseUrl),
      { ...modelBody('claude', anthropic.baseUrl), provider: 'anthropic' },
      modelBody('off', b.fake.baseUrl, { active: false }),
      modelBody('a-model', a.fake.baseUrl, { fallbacks: ['off', 'claude', 'b-model'] }),
      modelBody('pooled', a.fake.baseUrl, { apiKeyEnv: POOL }),
      modelBody('round', a.fake.baseUrl, { apiKeyEnv: ROUND }),
      modelBody('keyless', a.fake.baseUrl, { apiKeyEnv: 'PP_TEST_UNSET_VARIABLE' }),
    ];
    for (const m of models) expect((await admin.create(m)).status).toBe(201);
  });
  afterAll(async () => {
    delete process.env[POOL];
    delete process.env[ROUND];
    await api.close();
    await Promise.all([a.fake.close(), b.fake.close(), anthropic.close()]);
  });
  beforeEach(() => {
    a.reset(() => 'OK');
    b.reset(() => 'from b');
    anthropicDown = true;
  });

  it('retries a 500 and answers from the same model when it recovers', async () => {
    a.reset((_r, i) => (i < 2 ? { status: 500, body: { error: { message: 'hiccup' } } } : 'recovered'));
    const res = await gatewayChat(api, { model: 'a-model' });
    expect(res.status).toBe(200);
    expect(res.json().choices[0]!.message.content).toBe('recovered');
    expect(res.headers.get('x-patchpad-model')).toBe('a-model');
    expect(a.fake.requests).toHaveLength(3);
  });

  it("waits for a 429's Retry-After before trying again", async () => {
    a.reset((_r, i) => (i === 0 ? { status: 429, body: { error: { message: 'busy' } }, headers: { 'retry-after': '1' } } : 'after waiting'));
    const res = await gatewayChat(api, { model: 'a-model' });
    expect(res.json().choices[0]!.message.content).toBe('after waiting');
    expect(a.times[1]! - a.times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('does not sit out a Retry-After longer than PROVIDER_RETRY_MAX_MS: the fallbacks answer instead', async () => {
    a.reset(() => ({ status: 429, body: { error: { message: 'quota' } }, headers: { 'retry-after': '120' } }));
    const res = await gatewayChat(api, { model: 'a-model' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-patchpad-model')).toBe('b-model');
    expect(a.fake.requests).toHaveLength(1);
  });

  it('goes through the fallbacks in order, skipping a switched-off one, after retrying each', async () => {
    a.reset(() => ({ status: 503, body: { error: { message: 'a is down' } } }));
    const res = await gatewayChat(api, { model: 'a-model' });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ model: 'b-model', choices: [{ message: { content: 'from b' } }] });
    expect(a.fake.requests).toHaveLength(3);
    // a (3 tries), claude (3 tries), then b.
    expect(anthropic.requests.length % 3).toBe(0);
    anthropicDown = false;
    const viaClaude = await gatewayChat(api, { model: 'a-model' });
    expect(viaClaude.json()).toMatchObject({ model: 'claude', choices: [{ message: { content: 'from claude' } }] });
  });

  it('tells the caller which models failed, on which provider, and why, when every one fails', async () => {
    a.reset(() => ({ status: 500, body: { error: { message: 'a exploded' } } }));
    b.reset(() => ({ hang: true }));
    const res = await gatewayChat(api, { model: 'a-model' });
    expect(res.status).toBe(504);
    const { error } = res.json();
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toMatch(
      /^Model "a-model" \(openai_compatible at 127\.0\.0\.1:\d+\) failed: openai_compatible answered 500: a exploded \(3 tries\); fallback "off"/,
    );
    expect(error.message).toMatch(/fallback "off" \(openai_compatible\): not tried: is switched off/);
    expect(error.message).toMatch(/fallback "claude" \(anthropic\): anthropic answered 500: overloaded/);
    expect(error.message).toMatch(/fallback "b-model" \(openai_compatible\): openai_compatible sent nothing for 300 ms \(3 tries\)$/);
    const { attempts } = z.object({ attempts: z.array(gatewayAttemptSchema) }).parse(error.details);
    expect(attempts.map((x) => x.model)).toEqual(['a-model', 'a-model', 'a-model', 'off', 'claude', 'claude', 'claude', 'b-model', 'b-model', 'b-model']);
  });

  it('retries a malformed chunk that arrives before anything was sent on', async () => {
    a.reset((_r, i) => (i === 0 ? { chunks: ['x', 'y'], malformedAt: 0 } : 'clean'));
    const res = await gatewayChat(api, { model: 'a-model', stream: true });
    const data = readStream(res.text);
    expect(data.at(-1)).toBe('[DONE]');
    expect(
      data
        .slice(0, -1)
        .map((d) => JSON.parse(d).choices[0]?.delta.content ?? '')
        .join(''),
    ).toBe('clean');
    expect(a.fake.requests).toHaveLength(2);
  });

  it('never replays an answer that started: a cut stream ends with an error chunk naming the model', async () => {
    a.reset(() => ({ chunks: ['one ', 'two ', 'three ', 'four'], failMidStream: true }));
    const res = await gatewayChat(api, { model: 'a-model', stream: true });
    expect(res.status).toBe(200);
    const data = readStream(res.text);
    const last = JSON.parse(data.at(-1)!);
    expect(last.error.code).toBe('upstream_error');
    expect(last.error.message).toMatch(/^Model "a-model" \(openai_compatible\) broke off its answer/);
    expect(data[0]).toContain('one ');
    expect(a.fake.requests).toHaveLength(1);
  });

  it('rotates pool keys round-robin', async () => {
    for (let i = 0; i < 4; i++) expect((await gatewayChat(api, { model: 'round' })).status).toBe(200);
    expect(a.fake.headers.map((h) => h.authorization)).toEqual(['Bearer r1', 'Bearer r2', 'Bearer r1', 'Bearer r2']);
  });

  it('rests a key after a 429 or a 401 and carries on with the next; says so when all rest', async () => {
    a.reset((_r, _i, key) =>
      key === 'k1'
        ? { status: 429, body: { error: { message: 'k1 is rate limited' } }, headers: { 'retry-after': '60' } }
        : key === 'k2'
          ? { status: 401, body: { error: { message: 'k2 revoked' } } }
          : 'from k3',
    );
    const first = await gatewayChat(api, { model: 'pooled' });
    expect(first.json().choices[0]!.message.content).toBe('from k3');
    expect(a.fake.headers.map((h) => h.authorization)).toEqual(['Bearer k1', 'Bearer k2', 'Bearer k3']);
    await gatewayChat(api, { model: 'pooled' });
    await gatewayChat(api, { model: 'pooled' });
    expect(a.fake.headers.slice(3).map((h) => h.authorization)).toEqual(['Bearer k3', 'Bearer k3']);
    a.reset(() => ({ status: 429, body: { error: { message: 'k3 too' } }, headers: { 'retry-after': '60' } }));
    const res = await gatewayChat(api, { model: 'pooled' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(1);
    expect(res.json().error).toMatchObject({ code: 'upstream_rate_limited' });
    expect(res.json().error.message).toMatch(new RegExp(`every key in ${POOL} is resting`));
  });

  it('names the variable when a model needs a key this gateway does not have', async () => {
    const res = await gatewayChat(api, { model: 'keyless' });
    expect(res.status).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'provider_key_missing' });
    expect(res.json().error.message).toMatch(/PP_TEST_UNSET_VARIABLE is not set on this gateway/);
    expect(a.fake.requests).toHaveLength(0);
  });
});

describe('gateway circuit breaker', () => {
  let api: TestApi;
  let admin: ReturnType<typeof adminModels>;
  let up: Awaited<ReturnType<typeof scripted>>;

  beforeAll(async () => {
    up = await scripted();
    api = await startTestApi({ ...FAST, PROVIDER_MAX_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '2', BREAKER_OPEN_MS: '400' });
    admin = adminModels(api, (await emulatorAdmin()).idToken);
    await admin.create(modelBody('fragile', up.fake.baseUrl));
  });
  afterAll(async () => {
    await api.close();
    await up.fake.close();
  });

  const health = async () => ((await (await fetch(`${api.url}/health/detailed`)).json()) as { providers: { endpoint: string; state: string }[] }).providers;

  it('opens after repeated failures, refuses without calling, lets one trial through when half-open, and closes on success', async () => {
    up.reset(() => ({ status: 500, body: { error: { message: 'down for maintenance' } } }));
    expect((await gatewayChat(api, { model: 'fragile' })).status).toBe(502);
    expect((await gatewayChat(api, { model: 'fragile' })).status).toBe(502);
    expect(await health()).toEqual([
      expect.objectContaining({
        endpoint: `openai_compatible ${up.fake.baseUrl}`,
        state: 'open',
        consecutiveFailures: 2,
        lastError: expect.stringMatching(/down for maintenance/),
      }),
    ]);
    const refused = await gatewayChat(api, { model: 'fragile' });
    expect(refused.status).toBe(503);
    expect(refused.json().error).toMatchObject({ code: 'provider_unavailable' });
    expect(refused.json().error.message).toMatch(/circuit open after 2 failures in a row/);
    expect(up.fake.requests).toHaveLength(2);

    await new Promise((r) => setTimeout(r, 450));
    expect((await health())[0]!.state).toBe('half_open');
    // Half-open: the trial fails → open again at once.
    expect((await gatewayChat(api, { model: 'fragile' })).status).toBe(502);
    expect((await health())[0]!.state).toBe('open');
    await new Promise((r) => setTimeout(r, 450));
    // A slow trial, so that the other calls arrive while it runs.
    up.reset(() => new Promise((r) => setTimeout(() => r('back'), 150)));
    const calls = await Promise.all([0, 1, 2].map(() => gatewayChat(api, { model: 'fragile' })));
    // One trial at a time: the concurrent calls were refused while it ran.
    expect(calls.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await health())[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect((await gatewayChat(api, { model: 'fragile' })).status).toBe(200);
  });
});
