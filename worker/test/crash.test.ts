import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, type TaskEvent } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { authed, startTestApi, type TestApi } from '../../backend/test/support';

/**
 * A worker process is SIGKILLed in the middle of a task (its model call is streaming). Another
 * worker picks the task up once the dead one's lock lapses and completes it, and the user
 * sees it complete once: one result, one `done`.
 */

const root = resolve(import.meta.dirname, '../..');
const STALL_MS = 1500;
const DIFF = '```diff\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;\n```\n';

describe('a worker killed mid-task', () => {
  let api: TestApi;
  let upstream: Awaited<ReturnType<typeof startFakeOpenAi>>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // The first call streams slowly (the worker dies during it); later calls answer at once.
    upstream = await startFakeOpenAi((_req, i) => (i === 0 ? { chunks: Array.from({ length: 200 }, () => ' ') } : DIFF));
    api = await startTestApi({ OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model' });
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

  it('is completed by another worker, exactly once from the user’s point of view', async () => {
    const { idToken } = await emulatorUser();
    const created = await fetch(`${api.url}/api/agent/tasks`, {
      method: 'POST',
      headers: authed(idToken),
      body: JSON.stringify({ prompt: 'bump a', files: { 'a.ts': 'export const a = 1;\n' } }),
    });
    const { task } = (await created.json()) as { task: { id: string } };

    const first = startWorker();
    await expect.poll(() => upstream.requests.length, { timeout: 20_000, interval: 50 }).toBe(1); // mid-stream now
    first.kill('SIGKILL');
    const killedAt = Date.now();
    startWorker();

    const status = async () =>
      ((await (await fetch(`${api.url}/api/agent/tasks/${task.id}`, { headers: authed(idToken) })).json()) as { task: { status: string } }).task.status;
    await expect.poll(status, { timeout: 30_000, interval: 200 }).toBe('done');
    // Not the killed worker finishing after all (it would be done in well under a second).
    expect(Date.now() - killedAt).toBeGreaterThan(STALL_MS);
    expect(upstream.requests.length).toBe(2); // the dead worker's call, and the one that finished

    const stream = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) });
    const events: TaskEvent[] = [];
    for await (const m of readSse(stream.body!)) events.push(JSON.parse(m.data) as TaskEvent);
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'status' && e.status === 'done')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'done' });
    const result = events.find((e) => e.type === 'result');
    expect(JSON.stringify(result)).toContain('export const a = 2;');
  });
});
