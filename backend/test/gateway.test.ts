import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_GATEWAY_TOKEN, SseParser, type ChatCompletionResponse } from '@patchpad/shared';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { json, startTestApi, type ApiError, type TestApi } from './support';

const auth = { Authorization: `Bearer ${DEV_GATEWAY_TOKEN}`, 'Content-Type': 'application/json' };
const chat = (api: TestApi, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${api.url}/gateway/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });

describe('gateway with no model configured', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers 503 no_model_configured with the ways to configure one', async () => {
    const res = await chat(api, { model: 'anything', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(503);
    const { error } = await json<ApiError>(res);
    expect(error.code).toBe('no_model_configured');
    expect(error.message).toMatch(/OPENAI_API_KEY.*ANTHROPIC_API_KEY.*OPENAI_COMPATIBLE_BASE_URL/);
  });

  it('lists no models', async () => {
    const res = await fetch(`${api.url}/gateway/v1/models`, { headers: auth });
    expect(await res.json()).toEqual({ object: 'list', data: [] });
  });
});

describe('gateway over an OpenAI-compatible upstream', () => {
  let api: TestApi;
  let upstream: Awaited<ReturnType<typeof startFakeOpenAi>>;
  beforeAll(async () => {
    upstream = await startFakeOpenAi((req) =>
      req.messages.at(-1)?.content === 'fail' ? { status: 500, body: { error: { message: 'upstream exploded' } } } : 'Hello from the fake model.',
    );
    api = await startTestApi({ OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model,other' });
  });
  afterAll(async () => {
    await api.close();
    await upstream.close();
  });

  it('refuses callers without the service credential, including browser-style tokens', async () => {
    for (const headers of [{ 'Content-Type': 'application/json' }, { ...auth, Authorization: 'Bearer some-firebase-id-token' }]) {
      const res = await chat(api, { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }, headers);
      expect(res.status).toBe(401);
    }
  });

  it('validates the request body with a message naming the field', async () => {
    const res = await chat(api, { model: 'fake-model', messages: [] });
    expect(res.status).toBe(400);
    expect((await json<ApiError>(res)).error.message).toMatch(/messages/);
  });

  it('answers a non-streamed completion with usage', async () => {
    const res = await chat(api, { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const body = await json<ChatCompletionResponse>(res);
    expect(body.choices[0]!.message.content).toBe('Hello from the fake model.');
    expect(body.usage!.prompt_tokens).toBe(11);
    expect(upstream.requests.at(-1)).toMatchObject({ model: 'fake-model', stream: true });
  });

  it('streams chunks in OpenAI format and ends with [DONE]', async () => {
    const res = await chat(api, { model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const data: string[] = [];
    const parser = new SseParser((m) => data.push(m.data));
    parser.push(await res.text());
    expect(data.at(-1)).toBe('[DONE]');
    const text = data
      .slice(0, -1)
      .map((d) => JSON.parse(d))
      .map((c) => c.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('Hello from the fake model.');
  });

  it('names the models it has when asked for an unknown one', async () => {
    const res = await chat(api, { model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(404);
    expect((await json<ApiError>(res)).error.message).toMatch(/fake-model, other/);
  });

  it('turns an upstream failure into 502 with the upstream message', async () => {
    const res = await chat(api, { model: 'fake-model', messages: [{ role: 'user', content: 'fail' }] });
    expect(res.status).toBe(502);
    expect((await json<ApiError>(res)).error.message).toMatch(/upstream exploded/);
  });
});
