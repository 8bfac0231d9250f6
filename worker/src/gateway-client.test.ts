import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GATEWAY_TASK_HEADER } from '@patchpad/shared';
import { startFakeOpenAi, type FakeOpenAi, type FakeReply } from '../../test-support/fake-openai';
import { GatewayError } from './errors';
import { createGatewayClient } from './gateway-client';

/**
 * The worker's side of a model call against an OpenAI-compatible server on loopback: what it
 * streams, and what each way of failing becomes (the task's retry decision rests on it).
 */

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const start = async (reply: FakeReply | ((index: number) => FakeReply), timeoutMs = 5_000) => {
  fake = await startFakeOpenAi((_req, i) => (typeof reply === 'function' ? reply(i) : reply), { chunkDelayMs: 0 });
  return createGatewayClient({ baseUrl: fake.baseUrl, apiKey: 'test-key', timeoutMs });
};
const ask = { model: 'fake-model', messages: [{ role: 'user' as const, content: 'hi' }], user: 'u1', taskId: 'task-1' };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err,
  );

describe('gateway client', () => {
  it('streams the answer, counts its tokens, and names the user and task to the gateway', async () => {
    const client = await start('Hello, streamed world.');
    const seen: string[] = [];
    const result = await client.chat(ask, (t) => seen.push(t), new AbortController().signal);
    expect(result).toMatchObject({ text: 'Hello, streamed world.', tokensIn: 11 });
    expect(seen.join('')).toBe('Hello, streamed world.');
    expect(result.tokensOut).toBeGreaterThan(0);
    expect(fake!.requests[0]).toMatchObject({ model: 'fake-model', stream: true, user: 'u1' });
    expect(fake!.headers[0]!.authorization).toBe('Bearer test-key');
    expect(fake!.headers[0]![GATEWAY_TASK_HEADER]).toBe('task-1');
  });

  it('keeps one connection for call after call (it reads each answer to its end)', async () => {
    const client = await start('short answer');
    for (let i = 0; i < 5; i++) await client.chat(ask, () => undefined, new AbortController().signal);
    expect(fake!.connections).toBe(1);
  });

  it("passes on the gateway's refusal with its code, and does not retry what no retry fixes", async () => {
    const client = await start({ status: 401, body: { error: { code: 'invalid_api_key', message: 'The service token is not valid' } } });
    const err = await failure(client.chat(ask, () => undefined, new AbortController().signal));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 401, code: 'invalid_api_key', message: 'The service token is not valid', retryable: false });
  });

  it('retries a 5xx whose body is not ours, and says which gateway answered', async () => {
    const client = await start({ status: 503, body: 'busy' });
    const err = await failure(client.chat(ask, () => undefined, new AbortController().signal));
    expect(err).toMatchObject({ status: 503, code: 'gateway_error', retryable: true });
    expect((err as Error).message).toContain(fake!.baseUrl);
  });

  it('turns an answer that breaks off mid-stream into a retryable failure naming the gateway', async () => {
    const client = await start({ chunks: ['one ', 'two ', 'three ', 'four'], failMidStream: true });
    const err = await failure(client.chat(ask, () => undefined, new AbortController().signal));
    expect(err).toMatchObject({ code: 'gateway_unreachable', retryable: true });
    expect((err as Error).message).toContain(fake!.baseUrl);
  });

  it('gives up on a gateway that stops mid-answer once the call outlives its timeout', async () => {
    const client = await start({ chunks: ['one ', 'two ', 'three'], hangAfter: 1 }, 300);
    const started = Date.now();
    const err = await failure(client.chat(ask, () => undefined, new AbortController().signal));
    expect(err).toMatchObject({ status: 504, code: 'gateway_timeout', retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("ends at once with the caller's reason when the task is cancelled", async () => {
    const client = await start({ hang: true });
    const cancel = new AbortController();
    const pending = failure(client.chat(ask, () => undefined, cancel.signal));
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error('cancelled by the user');
    cancel.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('says the gateway cannot be reached when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const client = createGatewayClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'k', timeoutMs: 5_000 });
    const err = await failure(client.chat(ask, () => undefined, new AbortController().signal));
    expect(err).toMatchObject({ status: 0, code: 'gateway_unreachable', retryable: true });
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('lists the models the gateway offers', async () => {
    const client = await start('unused');
    const models = await client.models(new AbortController().signal);
    expect(models.map((m) => m.id)).toEqual(['fake-model']);
  });
});
