import { afterEach, describe, expect, it } from 'vitest';
import { readSse } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { closeGracefully } from '../src/http/graceful';
import { authed, startTestApi, type TestApi } from './support';

/**
 * SIGTERM on the API (main.ts calls closeGracefully): a request in flight finishes, an open
 * event stream ends so its client can resume elsewhere, new connections are refused, and a
 * request slower than the grace period is cut rather than holding the process.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown of the API', () => {
  let api: TestApi | undefined;
  let upstream: Awaited<ReturnType<typeof startFakeOpenAi>> | undefined;
  afterEach(async () => {
    await api?.close();
    await upstream?.close();
  });

  async function start(delayMs: number, env: Record<string, string> = {}) {
    upstream = await startFakeOpenAi(async () => {
      await sleep(delayMs);
      return 'finished after all';
    });
    api = await startTestApi({ OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model', ...env });
    return api;
  }

  const chat = (a: TestApi) =>
    fetch(`${a.url}/gateway/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${a.config.gatewayToken}` },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    });

  /** A signed-in user and a task of theirs that stays queued (no worker runs here). */
  const newTask = async (a: TestApi) => {
    const { idToken } = await emulatorUser();
    const created = await fetch(`${a.url}/api/agent/tasks`, {
      method: 'POST',
      headers: authed(idToken),
      body: JSON.stringify({ prompt: 'p', files: { 'a.ts': '' } }),
    });
    const { task } = (await created.json()) as { task: { id: string } };
    return { idToken, task };
  };

  it('lets a request in flight finish, ends event streams, and refuses new connections', async () => {
    const a = await start(600);
    const { idToken, task } = await newTask(a);
    const stream = await fetch(`${a.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) });
    const events: string[] = [];
    const streamDone = (async () => {
      for await (const e of readSse(stream.body!)) events.push(e.event ?? 'message');
    })();

    const inFlight = chat(a);
    await sleep(150); // the request has reached the upstream
    const started = Date.now();
    const outcome = await closeGracefully(a.server, a.drain, 5_000);

    expect(outcome).toBe('drained');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('finished after all');
    expect(Date.now() - started).toBeLessThan(3_000); // waited for the request, not for the stream or the grace period
    await streamDone; // the stream ended cleanly (the client would reconnect with Last-Event-ID)
    expect(events).toContain('status');
    await expect(fetch(`${a.url}/health`)).rejects.toThrow();
  });

  it("holds more open streams than Node's default of 10 listeners without a false leak warning, and ends them all", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const a = await start(0, { STREAMS_PER_USER: '20' });
      const { idToken, task } = await newTask(a);
      // No worker runs: each stream stays open, listening for shutdown, until the drain ends it.
      const opened = await Promise.all(Array.from({ length: 12 }, () => fetch(`${a.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) })));
      const ends = opened.map(async (stream) => {
        let events = 0;
        for await (const _ of readSse(stream.body!)) events++;
        return events;
      });
      await sleep(300); // every handler has subscribed
      expect(await closeGracefully(a.server, a.drain, 5_000)).toBe('drained');
      expect((await Promise.all(ends)).every((n) => n > 0)).toBe(true);
      await sleep(0); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('cuts a request that outlives the grace period instead of hanging', async () => {
    const a = await start(2_000);
    const inFlight = chat(a).then(
      (r) => r.status,
      () => 'cut',
    );
    await sleep(150);
    const started = Date.now();
    expect(await closeGracefully(a.server, a.drain, 300)).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await inFlight).toBe('cut');
  });
});
