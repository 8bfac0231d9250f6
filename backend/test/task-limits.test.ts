import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AGENT_TASK_QUEUE, readSse, type TaskView } from '@patchpad/shared';
import { bullPrefix } from '@patchpad/shared/server';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, json, REDIS_URL, startTestApi, type ApiError, type TestApi } from './support';

const files = { 'a.ts': 'export const a = 1;\n' };
const create = (api: TestApi, token: string) =>
  fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify({ prompt: 'bump a', files }) });

/** Reads a whole SSE response: the event names and data in order. */
async function readStream(res: Response): Promise<{ event: string; data: unknown; id?: string }[]> {
  const out: { event: string; data: unknown; id?: string }[] = [];
  for await (const m of readSse(res.body!)) out.push({ event: m.event ?? 'message', data: JSON.parse(m.data), ...(m.id ? { id: m.id } : {}) });
  return out;
}

describe('task limits: every refusal is a 429 that names its limit, and writes nothing', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '4', QUOTA_FREE_TASKS_IN_FLIGHT: '2', UNAUTHENTICATED_PER_MINUTE: '5' }, { background: false });
  });
  afterAll(() => api.close());

  it('caps tasks in flight per user: of 6 at once, 2 are accepted and 4 refused with the count', async () => {
    const { idToken } = await emulatorUser();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(api, idToken)));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 202, 429, 429, 429, 429]);
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await json<ApiError>(refused)).error).toMatchObject({ code: 'too_many_in_flight', details: { limit: 'tasks_in_flight', used: 2, max: 2 } });
    const list = (await (await fetch(`${api.url}/api/agent/tasks`, { headers: authed(idToken) })).json()) as { tasks: unknown[] };
    expect(list.tasks).toHaveLength(2);
  });

  it('limits creations per minute with a token bucket: no double allowance at a minute boundary', async () => {
    const { idToken, uid } = await emulatorUser();
    // Free in-flight room each time, so only the rate limit can refuse.
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await create(api, idToken);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect((await json<ApiError>(res)).error).toMatchObject({ code: 'rate_limited', details: { limit: 'tasks_per_minute', max: 4 } });
      } else await api.redis.del(`${api.config.REDIS_PREFIX}:{u:${uid}}:inflight`);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    // One token refills every 15 s at 4 per minute.
    expect(Number(retryAfter)).toBeGreaterThan(10);
    expect(Number(retryAfter)).toBeLessThanOrEqual(15);
  });

  it('refuses a request without a token before reading its body, and then throttles the address', async () => {
    const huge = `{"prompt": "${'x'.repeat(5_500_000)}`; // not even valid JSON: never parsed
    const first = await fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: huge });
    expect(first.status).toBe(401);
    expect(first.headers.get('connection')).toBe('close');
    const statuses: number[] = [first.status];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${api.url}/api/me`, { headers: { Authorization: 'Bearer garbage' } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await fetch(`${api.url}/api/me`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json<ApiError>(limited)).error.details).toMatchObject({ limit: 'unauthenticated_per_minute', max: 5 });
    // A signed-in user at the same address is not affected.
    expect((await fetch(`${api.url}/api/me`, { headers: authed((await emulatorUser()).idToken) })).status).toBe(200);
  });
});

describe('event streams end when they should', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Tokens that expire 1.5 s after they are checked, to see the stream ask for a fresh one.
    api = await startTestApi(
      { STREAMS_PER_USER: '3' },
      { background: false, wrapVerifier: (v) => ({ verify: async (t) => ({ ...(await v.verify(t)), expiresAt: Date.now() + 1500 }) }) },
    );
  });
  afterAll(() => api.close());

  it('ends the stream of an ended task even when Last-Event-ID points past its end', async () => {
    const { idToken } = await emulatorUser();
    const { task } = await json<{ task: TaskView }>(create(api, idToken));
    expect((await fetch(`${api.url}/api/agent/tasks/${task.id}/cancel`, { method: 'POST', headers: authed(idToken) })).status).toBe(200);
    for (const lastId of [undefined, '99999999999999-0']) {
      const res = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken, lastId ? { 'Last-Event-ID': lastId } : {}) });
      const events = await readStream(res);
      expect(events.at(-1)).toMatchObject({ event: 'status', data: { type: 'status', status: 'cancelled' } });
    }
  });

  it('opens a stream at once when nothing after Last-Event-ID is stored yet, then delivers what comes', async () => {
    const { idToken } = await emulatorUser();
    const { task } = await json<{ task: TaskView }>(create(api, idToken));
    let newest = '';
    for await (const m of readSse((await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) })).body!)) {
      newest = m.id ?? '';
      break;
    }
    expect(newest).not.toBe('');
    // The headers must not wait for an event: the task, with no worker here, has none to send.
    const res = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken, { 'Last-Event-ID': newest }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await fetch(`${api.url}/api/agent/tasks/${task.id}/cancel`, { method: 'POST', headers: authed(idToken) })).status).toBe(200);
    const events = await readStream(res);
    expect(events).toEqual([{ event: 'status', data: { type: 'status', status: 'cancelled' }, id: expect.any(String) }]);
  });

  it('ends a stream with auth_expired when the token expires, and caps open streams per user', async () => {
    const { idToken } = await emulatorUser();
    const { task } = await json<{ task: TaskView }>(create(api, idToken));
    const started = Date.now();
    const streams = await Promise.all(Array.from({ length: 3 }, () => fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) })));
    const fourth = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) });
    expect(fourth.status).toBe(429);
    expect((await json<ApiError>(fourth)).error).toMatchObject({ code: 'too_many_streams', details: { limit: 'streams_open', used: 3, max: 3 } });
    const events = await readStream(streams[0]!);
    expect(events.map((e) => e.event)).toEqual(['status', 'auth_expired']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await Promise.all(streams.slice(1).map((s) => s.body?.cancel()));
    // Closed streams give their slots back.
    await expect
      .poll(async () => {
        const res = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) });
        await res.body?.cancel();
        return res.status;
      })
      .toBe(200);
  });
});

describe('the reaper ends tasks that would otherwise never end', () => {
  let api: TestApi;
  let queue: Queue;
  const connections: Redis[] = [];
  beforeAll(async () => {
    api = await startTestApi({ TASK_MAX_AGE_MS: '60000', REAPER_GRACE_MS: '100' }, { background: false });
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    queue = new Queue(AGENT_TASK_QUEUE, { connection, prefix: bullPrefix(api.config.REDIS_PREFIX) });
  });
  afterAll(async () => {
    await queue.close();
    connections.forEach((c) => c.disconnect());
    await api.close();
  });

  const health = async () =>
    ((await (await fetch(`${api.url}/health/detailed`)).json()) as { tasks: { live: number; stuck: number; reaped: Record<string, number> } }).tasks;
  const taskOf = async (token: string, id: string) =>
    (await json<{ task: TaskView }>(fetch(`${api.url}/api/agent/tasks/${id}`, { headers: authed(token) }))).task;

  it('fails a task whose queue job is gone, one that waited too long, and one whose workers kept stalling, each with its reason', async () => {
    const { idToken } = await emulatorUser();
    const newTask = async () => (await json<{ task: TaskView }>(create(api, idToken))).task.id;
    const [lost, old, stalled] = await Promise.all([newTask(), newTask(), newTask()]);
    await (await queue.getJob(lost))!.remove();

    await queue.remove(old); // `old` waits on: it must be judged by age, not by its job
    await queue.add('agent-task', { uid: 'x', taskId: old }, { jobId: old, delay: 3_600_000 });

    // A real worker process takes `stalled`, waits on a model that never answers, and is
    // killed; another worker, allowed no stalls, finds its lock lapsed and fails the job.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/src/main.ts'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        REDIS_URL,
        REDIS_PREFIX: api.config.REDIS_PREFIX,
        GATEWAY_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`,
        DEFAULT_MODEL: 'm',
        WORKER_STALL_MS: '500',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    try {
      await expect.poll(async () => (await queue.getJob(stalled))?.getState(), { timeout: 20_000 }).toBe('active');
    } finally {
      worker.kill('SIGKILL');
      silent.closeAllConnections();
      silent.close();
    }
    const checker = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(checker);
    const watchdog = new Worker(AGENT_TASK_QUEUE, async () => undefined, {
      connection: checker,
      prefix: bullPrefix(api.config.REDIS_PREFIX),
      stalledInterval: 300,
      maxStalledCount: 0,
    });
    await expect.poll(async () => (await queue.getJob(stalled))?.getState(), { timeout: 10_000 }).toBe('failed');
    await watchdog.close();

    expect((await health()).live).toBe(3);
    const report = await api.backend.reaper.sweep(Date.now() + 1_000);
    expect(report.failed).toBe(2);
    expect(await taskOf(idToken, lost)).toMatchObject({ status: 'failed', error: { code: 'task_lost' } });
    expect(await taskOf(idToken, stalled)).toMatchObject({ status: 'failed', error: { code: 'task_stalled', message: expect.stringMatching(/stalled/) } });
    expect((await taskOf(idToken, old)).status).toBe('queued');

    expect((await health()).stuck).toBe(0);
    await api.backend.reaper.sweep(Date.now() + 61_000);
    expect(await taskOf(idToken, old)).toMatchObject({
      status: 'failed',
      error: { code: 'task_timeout', message: expect.stringMatching(/did not finish within 1 minutes/) },
    });

    // The user sees why, on the task's stream; the reaped ones leave the live index.
    const events = await readStream(await fetch(`${api.url}/api/agent/tasks/${lost}/events`, { headers: authed(idToken) }));
    expect(events.slice(-2).map((e) => e.data)).toEqual([
      { type: 'error', error: { code: 'task_lost', message: expect.stringMatching(/lost from the queue/) } },
      { type: 'status', status: 'failed' },
    ]);
    expect(await health()).toMatchObject({ live: 0, stuck: 0, reaped: { task_lost: 1, task_stalled: 1, task_timeout: 1 } });
  });
});
