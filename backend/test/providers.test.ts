import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../src/gateway/providers/anthropic';
import { createOpenAiProvider } from '../src/gateway/providers/openai';
import { UpstreamError, type ModelProvider, type ProviderEvent } from '../src/gateway/providers/types';
import { startFakeAnthropic } from '../../test-support/fake-anthropic';
import { startFakeOpenAi } from '../../test-support/fake-openai';

const ANSWER = 'Here is a diff:\n```diff\n--- a/x\n+++ b/x\n```';
const FAIL = 'please fail';

type Harness = {
  provider: ModelProvider;
  lastRequest: () => { system: string | undefined; messages: { role: string; content: string }[] };
  close: () => Promise<void>;
};

/** One contract, every provider: the gateway relies on exactly these behaviours. */
const providers: [string, () => Promise<Harness>][] = [
  [
    'openai-compatible',
    async () => {
      const fake = await startFakeOpenAi((req) => (req.messages.at(-1)?.content === FAIL ? { status: 401, body: { error: { message: 'bad key' } } } : ANSWER));
      return {
        provider: createOpenAiProvider({ name: 'openai-compatible', baseUrl: fake.baseUrl, apiKey: 'k' }),
        lastRequest: () => {
          const r = fake.requests.at(-1)!;
          return { system: r.messages.find((m) => m.role === 'system')?.content, messages: r.messages.filter((m) => m.role !== 'system') };
        },
        close: fake.close,
      };
    },
  ],
  [
    'anthropic',
    async () => {
      const fake = await startFakeAnthropic((req) =>
        req.messages.at(-1)?.content === FAIL ? { status: 401, body: { type: 'error', error: { message: 'bad key' } } } : ANSWER,
      );
      return {
        provider: createAnthropicProvider({ baseUrl: fake.baseUrl, apiKey: 'k' }),
        lastRequest: () => ({ system: fake.requests.at(-1)!.body.system, messages: fake.requests.at(-1)!.body.messages }),
        close: fake.close,
      };
    },
  ],
];

async function collect(events: AsyncIterable<ProviderEvent>) {
  let text = '';
  const usage: ProviderEvent[] = [];
  for await (const e of events) {
    if (e.type === 'text') text += e.text;
    else usage.push(e);
  }
  return { text, usage };
}

describe.each(providers)('model provider contract: %s', (_name, start) => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h.close());

  const BRIEF = [
    { role: 'system' as const, content: 'be brief' },
    { role: 'user' as const, content: 'hi' },
  ];
  const askBriefly = () => collect(h.provider.chat({ model: 'm', messages: BRIEF }, new AbortController().signal));

  it('streams the whole answer as text events and reports usage', async () => {
    const out = await askBriefly();
    expect(out.text).toBe(ANSWER);
    expect(out.usage).toHaveLength(1);
    expect(out.usage[0]).toMatchObject({ type: 'usage' });
    expect((out.usage[0] as { promptTokens: number }).promptTokens).toBeGreaterThan(0);
  });

  it('passes the system prompt and the conversation through', async () => {
    await askBriefly();
    expect(h.lastRequest()).toEqual({ system: 'be brief', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('turns an upstream error status into UpstreamError with the upstream message', async () => {
    const failure = await collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content: FAIL }] }, new AbortController().signal)).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).status).toBe(401);
    expect((failure as UpstreamError).message).toMatch(/bad key/);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, abort.signal))).rejects.toThrow();
  });
});
