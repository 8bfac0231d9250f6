import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../src/gateway/providers/anthropic';
import { createOpenAiProvider } from '../src/gateway/providers/openai';
import { UpstreamError, type ModelProvider, type ProviderEvent } from '../src/gateway/providers/types';
import { startFakeAnthropic } from '../../test-support/fake-anthropic';
import { startFakeOpenAi } from '../../test-support/fake-openai';

const ANSWER = 'Here is a diff:\n```diff\n--- a/x\n+++ b/x\n```';
const FAIL = 'please fail';
const BUSY = 'be busy';
const HANG = 'hang';
const CUT = 'cut';
const MALFORMED = 'malformed';
const SILENT = 'silent mid-answer';

type Harness = {
  provider: ModelProvider;
  lastRequest: () => { system: string | undefined; messages: { role: string; content: string }[] };
  lastKey: () => string | undefined;
  close: () => Promise<void>;
};

/** One contract, every provider: the gateway relies on exactly these behaviours. */
const providers: [string, () => Promise<Harness>][] = [
  [
    'openai-compatible',
    async () => {
      const fake = await startFakeOpenAi((req) => {
        const last = req.messages.at(-1)?.content;
        if (last === FAIL) return { status: 401, body: { error: { message: 'bad key' } } };
        if (last === BUSY) return { status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '7' } };
        if (last === HANG) return { hang: true };
        if (last === CUT) return { chunks: ['Here', ' is', ' half', ' an', ' answer'], failMidStream: true };
        if (last === MALFORMED) return { chunks: ['Here', ' is', ' bad'], malformedAt: 2 };
        if (last === SILENT) return { chunks: ['Here is', ' more'], hangAfter: 1 };
        return ANSWER;
      });
      return {
        provider: createOpenAiProvider({ name: 'openai_compatible', baseUrl: fake.baseUrl }),
        lastRequest: () => {
          const r = fake.requests.at(-1)!;
          return { system: r.messages.find((m) => m.role === 'system')?.content, messages: r.messages.filter((m) => m.role !== 'system') };
        },
        lastKey: () => fake.headers.at(-1)!.authorization?.replace(/^Bearer /, ''),
        close: fake.close,
      };
    },
  ],
  [
    'anthropic',
    async () => {
      const fake = await startFakeAnthropic((req) => {
        const last = req.messages.at(-1)?.content;
        if (last === FAIL) return { status: 401, body: { type: 'error', error: { message: 'bad key' } } };
        if (last === BUSY) return { status: 429, body: { type: 'error', error: { message: 'slow down' } }, headers: { 'retry-after': '7' } };
        if (last === HANG) return { hang: true };
        if (last === CUT) return { cutAfter: 'Here is half' };
        if (last === MALFORMED) return { malformedAfter: 'Here is' };
        if (last === SILENT) return { silentAfter: 'Here is' };
        return ANSWER;
      });
      return {
        provider: createAnthropicProvider({ baseUrl: fake.baseUrl }),
        lastRequest: () => ({ system: fake.requests.at(-1)!.body.system, messages: fake.requests.at(-1)!.body.messages }),
        lastKey: () => fake.requests.at(-1)!.headers['x-api-key'] as string | undefined,
        close: fake.close,
      };
    },
  ],
];

/** Reads an answer's batches; `seen` gets the text as it comes, so a caller sees what came before a failure. */
async function collect(batches: AsyncIterable<ProviderEvent[]>, seen: string[] = []) {
  const usage: ProviderEvent[] = [];
  for await (const batch of batches) {
    expect(batch.length, 'a batch is never empty').toBeGreaterThan(0);
    for (const e of batch) {
      if (e.type === 'text') seen.push(e.text);
      else usage.push(e);
    }
  }
  return { text: seen.join(''), usage };
}

const options = (signal = new AbortController().signal, apiKey: string | undefined = 'k') => ({ apiKey, signal, connectTimeoutMs: 2000, idleTimeoutMs: 300 });

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
  const ask = (content: string) => collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content }] }, options()));

  it('streams the whole answer as text events and reports usage', async () => {
    const out = await collect(h.provider.chat({ model: 'm', messages: BRIEF }, options()));
    expect(out.text).toBe(ANSWER);
    expect(out.usage).toHaveLength(1);
    expect(out.usage[0]).toMatchObject({ type: 'usage' });
    expect((out.usage[0] as { promptTokens: number }).promptTokens).toBeGreaterThan(0);
  });

  it('passes the system prompt, the conversation and the key through', async () => {
    await collect(h.provider.chat({ model: 'm', messages: BRIEF }, options(undefined, 'key-two')));
    expect(h.lastRequest()).toEqual({ system: 'be brief', messages: [{ role: 'user', content: 'hi' }] });
    expect(h.lastKey()).toBe('key-two');
  });

  it('turns an upstream error status into UpstreamError with the upstream message', async () => {
    const failure = await ask(FAIL).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ kind: 'status', status: 401 });
    expect((failure as UpstreamError).message).toMatch(/bad key/);
  });

  it("reads a 429's Retry-After", async () => {
    const failure = await ask(BUSY).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'status', status: 429, retryAfterMs: 7000 });
  });

  it('gives up on a silent upstream after the idle timeout', async () => {
    const failure = await ask(HANG).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'idle_timeout' });
  });

  it('reports a stream that breaks off as a network failure, after the text it got', async () => {
    const seen: string[] = [];
    const failure = await collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content: CUT }] }, options()), seen).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'network' });
    expect(seen.join('')).toMatch(/^Here/);
  });

  it('passes on the text that came before a chunk that is not JSON, then fails with a protocol error', async () => {
    // The bad chunk arrives with the text, usually in the same read: the text must not be lost with it.
    const seen: string[] = [];
    const failure = await collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content: MALFORMED }] }, options()), seen).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ kind: 'protocol' });
    expect(seen.join('')).toBe('Here is');
  });

  it('gives up on an upstream that goes silent mid-answer, after the text it sent', async () => {
    const seen: string[] = [];
    const failure = await collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content: SILENT }] }, options()), seen).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'idle_timeout' });
    expect((failure as Error).message).toMatch(/mid-answer/);
    expect(seen.join('')).toBe('Here is');
  });

  it('stops reading at once when aborted mid-answer, with the reason it was given', async () => {
    const abort = new AbortController();
    const seen: string[] = [];
    const started = Date.now();
    const failure = await (async () => {
      const patient = { ...options(abort.signal), idleTimeoutMs: 30_000 };
      for await (const batch of h.provider.chat({ model: 'm', messages: [{ role: 'user', content: SILENT }] }, patient)) {
        for (const e of batch) if (e.type === 'text') seen.push(e.text);
        abort.abort(new Error('the caller left'));
      }
    })().catch((e: unknown) => e);
    expect((failure as Error).message).toBe('the caller left');
    expect(seen.join('')).toBe('Here is');
    // Not the 30 s silence timeout: the abort itself ended it (the margin is for a busy machine).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(collect(h.provider.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, options(abort.signal)))).rejects.toThrow('stop');
  });
});
