import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_GATEWAY_TOKEN } from '@patchpad/shared';
import { startFakeOpenAi, type FakeOpenAi } from '../../test-support/fake-openai';
import { startTestApi, type TestApi } from './support';
import { gatewayChat } from './models-support';
import { detectOllama } from '../src/models/ollama';

const listModels = async (api: TestApi) =>
  (
    (await (await fetch(`${api.url}/gateway/v1/models`, { headers: { Authorization: `Bearer ${DEV_GATEWAY_TOKEN}` } })).json()) as {
      data: { id: string; context_window: number }[];
    }
  ).data;

describe('Ollama autodetect', () => {
  let ollama: FakeOpenAi;
  let api: TestApi;

  beforeAll(async () => {
    ollama = await startFakeOpenAi((req) => `local answer from ${req.model}`, { tags: ['qwen2.5-coder:7b', 'llama3.1:latest'] });
    api = await startTestApi({
      OLLAMA_AUTODETECT: 'true',
      OLLAMA_URL: ollama.baseUrl.replace(/\/v1$/, ''),
      OLLAMA_REFRESH_MS: '100',
      OLLAMA_CONTEXT_WINDOW: '32768',
    });
  });
  afterAll(async () => {
    await api.close();
    await ollama.close();
  });

  it('lists the installed models with no configuration, and answers through them', async () => {
    expect(await listModels(api)).toEqual([
      expect.objectContaining({ id: 'qwen2.5-coder-7b', owned_by: 'openai_compatible', context_window: 32768 }),
      expect.objectContaining({ id: 'llama3.1', context_window: 32768 }),
    ]);
    const res = await gatewayChat(api, { model: 'llama3.1' });
    expect(res.status).toBe(200);
    // The upstream gets Ollama's own name, tag included.
    expect(res.json().choices[0]!.message.content).toBe('local answer from llama3.1:latest');
  });

  it('follows models being pulled and removed', async () => {
    ollama.tags = ['llama3.1:latest', 'deepseek-coder-v2:16b'];
    await until(async () => (await listModels(api)).some((m) => m.id === 'deepseek-coder-v2-16b'));
    expect((await listModels(api)).map((m) => m.id)).toEqual(['llama3.1', 'deepseek-coder-v2-16b']);
  });
});

describe('Ollama absent', () => {
  it('costs at most the probe timeout when nothing answers, and lists nothing', async () => {
    const closedPort = await freePort();
    const started = performance.now();
    expect(await detectOllama({ url: `http://127.0.0.1:${closedPort}`, timeoutMs: 300, contextWindow: 8192 })).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('ignores a server that answers /api/tags with something else', async () => {
    const other = await startFakeOpenAi(() => 'x');
    try {
      expect(await detectOllama({ url: other.baseUrl.replace(/\/v1$/, ''), timeoutMs: 300, contextWindow: 8192 })).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
