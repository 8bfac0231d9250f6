import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, type TaskEvent } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { authed, startTestApi, type TestApi } from '../../backend/test/support';

/**
 * Worker processes stopped in the middle of a task (their model call is streaming): on SIGTERM
 * a worker finishes the task before it exits; after SIGKILL another worker picks the task up
 * once the dead one's lock lapses. Either way the user sees the task complete once.
 */

const root = resolve(import.meta.dirname, '../..');
const STALL_MS = 1500;
const DIFF = '```diff\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;\n```\n';

describe('a worker stopped mid-task', () => {
  let api: TestApi;
  let upstream: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let idToken: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // Every answer streams one character at a time (~2 ms each, over half a second in all),
    // so a worker can be stopped while it is reading one.
    const answer = `${'Here is the change. '.repeat(15)}\n\n${DIFF}`;
    upstream = await startFakeOpenAi(() => ({ chunks: [...answer] }));
    api = await startTestApi({ OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model' });
    idToken = (await emulatorUser()).idToken;
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await api?.close();
    await upstream?.close();
  });

  const startWorker = () => {
    // One process (node with tsx's loader): killing the tsx CLI would leave its child running.
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL: api.config.REDIS_URL,
        REDIS_PREFIX: api.config.REDIS_PREFIX,
        GATEWAY_URL: `${api.url}/gateway/v1`,
        GATEWAY_SERVICE_TOKEN: api.config.gatewayToken,
        WORKER_STALL_MS: String(STALL_MS),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  };

  const createTask = async () => {
    const created = await fetch(`${api.url}/api/agent/tasks`, {
      method: 'POST',
      headers: authed(idToken),
      body: JSON.stringify({ prompt: 'bump a', files: { 'a.ts': 'export const a = 1;\n' } }),
    });
    return ((await created.json()) as { task: { id: string } }).task.id;
  };
  const statusOf = async (id: string) =>
    ((await (await fetch(`${api.url}/api/agent/tasks/${id}`, { headers: authed(idToken) })).json()) as { task: { status: string } }).task.status;
  /** Starts a worker on a new task and returns once the worker's model call is streaming. */
  const midTask = async () => {
    const before = upstream.requests.length;
    const id = await createTask();
    const worker = startWorker();
    await expect.poll(() => upstream.requests.length, { timeout: 20_000, interval: 20 }).toBe(before + 1);
    return { id, worker, before };
  };

  it('on SIGTERM, finishes the task it is running before it exits', async () => {
    const { id, worker, before } = await midTask();
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await statusOf(id)).toBe('done'); // done before the process ended
    expect(upstream.requests.length).toBe(before + 1); // and nobody had to ask the model again
  });

  it('after SIGKILL, is completed by another worker, exactly once from the user’s point of view', async () => {
    const { id, worker, before } = await midTask();
    worker.kill('SIGKILL');
    const killedAt = Date.now();
    startWorker();

    await expect.poll(() => statusOf(id), { timeout: 30_000, interval: 200 }).toBe('done');
    // Not the killed worker finishing after all (it would be done in well under a second).
    expect(Date.now() - killedAt).toBeGreaterThan(STALL_MS);
    expect(upstream.requests.length).toBe(before + 2); // the dead worker's call, and the one that finished

    const stream = await fetch(`${api.url}/api/agent/tasks/${id}/events`, { headers: authed(idToken) });
    const events: TaskEvent[] = [];
    for await (const m of readSse(stream.body!)) events.push(JSON.parse(m.data) as TaskEvent);
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'status' && e.status === 'done')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'done' });
    expect(JSON.stringify(events.find((e) => e.type === 'result'))).toContain('export const a = 2;');
  });
});
