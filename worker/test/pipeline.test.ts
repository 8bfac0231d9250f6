import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { AGENT_TASK_QUEUE, DEV_GATEWAY_TOKEN, SseParser, type ApiErrorBody, type TaskEvent, type TaskView } from '@patchpad/shared';
import { bullPrefix, TaskStore } from '@patchpad/shared/server';
import { errorOf } from '../../test-support/api-bodies';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from '../../backend/test/support';
import { createGatewayClient } from '../src/gateway-client';
import { createProcessor } from '../src/processor';
import { startPipeline, type ModelScript } from './support';

const APP = `import { useState } from 'react';

export default function App() {
  const [count, setCount] = useState(0);
  return <button onClick={() => setCount(count + 1)}>Clicked {count} times</button>;
}
`;
const GOOD_DIFF = `Here is the change.

\`\`\`diff
--- a/src/App.tsx
+++ b/src/App.tsx
@@ -3,4 +3,4 @@
 export default function App() {
   const [count, setCount] = useState(0);
-  return <button onClick={() => setCount(count + 1)}>Clicked {count} times</button>;
+  return <button onClick={() => setCount(count + 1)}>Pressed {count} times</button>;
 }
\`\`\`
`;
const BAD_DIFF = GOOD_DIFF.replace('-  return <button', '-  return <a').replace(' export default function App() {', ' export default function Nope() {');

describe('task pipeline: API → BullMQ → worker → gateway → validated diff', () => {
  let api: TestApi;
  let token: string;
  let uid: string;
  let script: ModelScript;
  let upstream: Awaited<ReturnType<typeof startPipeline>>['upstream'];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ api, upstream, close } = await startPipeline((req, i) => script(req, i), { concurrency: 2 }));
    const user = await emulatorUser();
    token = user.idToken;
    uid = user.uid;
  });
  afterAll(() => close());
  afterEach(() => {
    script = () => GOOD_DIFF;
  });

  const create = async (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.url}/api/agent/tasks`, {
      method: 'POST',
      headers: authed(token, headers),
      body: JSON.stringify({ prompt: 'say Pressed', files: { 'src/App.tsx': APP }, ...body }),
    });
    // One of the two, as the status says: the task (202, 200) or the error.
    return { res, body: (await res.json()) as { task: TaskView } & ApiErrorBody };
  };

  /** Reads the SSE stream to its end (a terminal status), as the browser does. */
  const events = async (taskId: string, lastEventId?: string) => {
    const res = await fetch(`${api.url}/api/agent/tasks/${taskId}/events`, { headers: authed(token, lastEventId ? { 'Last-Event-ID': lastEventId } : {}) });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const out: { id?: string; event: TaskEvent }[] = [];
    const parser = new SseParser((m) => out.push({ ...(m.id ? { id: m.id } : {}), event: JSON.parse(m.data) }));
    parser.push(await res.text());
    return out;
  };

  it('streams status, progress, tokens and a result whose patch applies, then done', async () => {
    script = () => GOOD_DIFF;
    const { res, body } = await create();
    expect(res.status).toBe(202);
    const stream = await events(body.task.id);
    const types = stream.map((e) => (e.event.type === 'status' ? `status:${e.event.status}` : e.event.type));
    expect(types[0]).toBe('status:queued');
    expect(types).toContain('status:processing');
    expect(types).toContain('token');
    expect(types.slice(-2)).toEqual(['result', 'status:done']);
    const result = stream.find((e) => e.event.type === 'result')!.event as Extract<TaskEvent, { type: 'result' }>;
    expect(result.result.filesModified).toHaveLength(1);
    expect(result.result.filesModified[0]!.patch).toContain('+  return <button onClick={() => setCount(count + 1)}>Pressed {count} times</button>;');
    expect(result.result.explanation).toBe('Here is the change.');
    expect(result.metrics).toMatchObject({ model: 'fake-model', attempts: 1 });
    const streamed = stream
      .filter((e) => e.event.type === 'token')
      .map((e) => (e.event as { text: string }).text)
      .join('');
    expect(streamed).toBe(GOOD_DIFF);
    // The record agrees with the stream.
    const record = (await (await fetch(`${api.url}/api/agent/tasks/${body.task.id}`, { headers: authed(token) })).json()) as { task: TaskView };
    expect(record.task.status).toBe('done');
  });

  it('tells the gateway whose task it is: usage is booked to the user and the task, metrics name the provider and the context', async () => {
    const { body } = await create();
    const stream = await events(body.task.id);
    const result = stream.find((e) => e.event.type === 'result')!.event as Extract<TaskEvent, { type: 'result' }>;
    expect(result.metrics).toMatchObject({ model: 'fake-model', provider: 'openai_compatible', context: { omitted: [], truncated: [] } });
    expect(result.metrics.context!.usedTokens).toBeGreaterThan(0);
    const day = new Date().toISOString().slice(0, 10);
    // Calls are booked in batches; write this process's batch now.
    await api.backend.gateway.usage.flush();
    const calls = await api.redis.xrevrange(`${api.config.REDIS_PREFIX}:{usage:${day}}:calls`, '+', '-', 'COUNT', 20);
    const booked = calls.map(([, fields]) => JSON.parse(fields[1]!)).find((c) => c.taskId === body.task.id);
    expect(booked).toMatchObject({ uid, model: 'fake-model', outcome: 'ok', tokensIn: 11 });
  });

  it("fails the task with the gateway's reason, naming the model and the provider", async () => {
    script = () => ({ status: 400, body: { error: { message: 'prompt is too long for this model' } } });
    const { body } = await create();
    const stream = await events(body.task.id);
    const error = stream.find((e) => e.event.type === 'error')!.event as Extract<TaskEvent, { type: 'error' }>;
    expect(error.error.code).toBe('upstream_rejected');
    expect(error.error.message).toMatch(
      /^Model "fake-model" \(openai_compatible at 127\.0\.0\.1:\d+\) failed: openai_compatible answered 400: prompt is too long for this model$/,
    );
  });

  it('resumes a stream after Last-Event-ID without repeating events', async () => {
    const { body } = await create();
    const all = await events(body.task.id);
    const cut = 2;
    const rest = await events(body.task.id, all[cut - 1]!.id);
    expect(rest.map((e) => e.id)).toEqual(all.slice(cut).map((e) => e.id));
  });

  it('repairs a diff that does not apply by sending the conflicts back to the model', async () => {
    script = (_req, i) => (i === upstream.requests.length - 1 && upstream.requests.filter((r) => r.messages.length > 2).length === 0 ? BAD_DIFF : GOOD_DIFF);
    const before = upstream.requests.length;
    const { body } = await create();
    const stream = await events(body.task.id);
    expect(stream.at(-1)!.event).toEqual({ type: 'status', status: 'done' });
    expect(stream.some((e) => e.event.type === 'progress' && e.event.phase === 'repairing')).toBe(true);
    const repair = upstream.requests[before + 1]!;
    expect(repair.messages).toHaveLength(4);
    expect(repair.messages[3]!.content).toMatch(/could not be applied/);
    expect(repair.messages[3]!.content).toMatch(/Hunk 1 of src\/App\.tsx/);
  });

  it('fails with patch_conflict when the repair does not apply either, and changes nothing', async () => {
    script = () => BAD_DIFF;
    const { body } = await create();
    const stream = await events(body.task.id);
    const error = stream.find((e) => e.event.type === 'error')!.event as Extract<TaskEvent, { type: 'error' }>;
    expect(error.error.code).toBe('patch_conflict');
    expect(error.error.message).toMatch(/after 2 attempt/);
    expect(stream.at(-1)!.event).toEqual({ type: 'status', status: 'failed' });
  });

  it('answers explain mode with prose and no files', async () => {
    script = () => 'It counts clicks.';
    const { body } = await create({ mode: 'explain' });
    const stream = await events(body.task.id);
    const result = stream.find((e) => e.event.type === 'result')!.event as Extract<TaskEvent, { type: 'result' }>;
    expect(result.result).toEqual({ filesModified: [], explanation: 'It counts clicks.' });
  });

  /** The model answers with GOOD_DIFF once the returned function is called. */
  const gatedModel = (): (() => void) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    script = async () => {
      await gate;
      return GOOD_DIFF;
    };
    return release;
  };

  it('cancels a running task; the worker stops and never overwrites the cancel', async () => {
    const release = gatedModel();
    const { body } = await create();
    const id = body.task.id;
    for (let i = 0; i < 100; i++) {
      const t = (await (await fetch(`${api.url}/api/agent/tasks/${id}`, { headers: authed(token) })).json()) as { task: TaskView };
      if (t.task.status === 'processing') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancelled = await fetch(`${api.url}/api/agent/tasks/${id}/cancel`, { method: 'POST', headers: authed(token) });
    expect(cancelled.status).toBe(200);
    release();
    await new Promise((r) => setTimeout(r, 300));
    const t = (await (await fetch(`${api.url}/api/agent/tasks/${id}`, { headers: authed(token) })).json()) as { task: TaskView };
    expect(t.task.status).toBe('cancelled');
    expect((await fetch(`${api.url}/api/agent/tasks/${id}/cancel`, { method: 'POST', headers: authed(token) })).status).toBe(409);
  });

  it('returns the same task for a retried request with the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}`;
    const first = await create({}, { 'Idempotency-Key': key });
    const second = await create({}, { 'Idempotency-Key': key });
    expect(first.res.status).toBe(202);
    expect(second.res.status).toBe(200);
    expect(second.body.task.id).toBe(first.body.task.id);
  });

  it('rejects bad task input with 400 and a message naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ prompt: '   ' }, /prompt/],
      [{ files: {} }, /at least one file/],
      [{ mode: 'delete_everything' }, /mode/],
      [{ selection: { path: 'src/Other.tsx', startLine: 1, endLine: 1, text: 'x' } }, /not in files/],
      [{ unexpected: 1 }, /unexpected|Unrecognized/i],
    ];
    for (const [body, message] of cases) {
      const { res, body: answer } = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(answer.error.message).toMatch(message);
    }
  });

  it('records per-hunk decisions on a finished task and rejects bad ones', async () => {
    const { body } = await create();
    const id = body.task.id;
    await events(id);
    const decide = (payload: unknown) =>
      fetch(`${api.url}/api/agent/tasks/${id}/decision`, { method: 'POST', headers: authed(token), body: JSON.stringify(payload) });
    const ok = await decide({ files: [{ path: 'src/App.tsx', hunks: ['accepted'] }] });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { task: TaskView }).task.decisions).toEqual([{ path: 'src/App.tsx', hunks: ['accepted'] }]);
    const unknown = await decide({ files: [{ path: 'src/Other.tsx', hunks: ['accepted'] }] });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).message).toMatch(/not in the task's result: src\/Other\.tsx/);
    const malformed = await decide({ files: [{ path: 'src/App.tsx', hunks: ['maybe'] }] });
    expect(malformed.status).toBe(400);
  });

  it('rejects a malformed Idempotency-Key or Last-Event-ID with 400', async () => {
    const { res, body } = await create({}, { 'Idempotency-Key': 'no spaces allowed' });
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/Idempotency-Key/);
    const { body: made } = await create();
    const stream = await fetch(`${api.url}/api/agent/tasks/${made.task.id}/events`, { headers: authed(token, { 'Last-Event-ID': 'yesterday' }) });
    expect(stream.status).toBe(400);
    expect((await errorOf(stream)).message).toMatch(/Last-Event-ID/);
  });

  it('audits each creation once, in the keyed chain', async () => {
    const { body } = await create();
    await api.backend.auditChain.drain();
    const recent = await api.backend.audit.recent(20);
    expect(recent.filter((e) => e.action === 'task.create' && e.target === body.task.id)).toHaveLength(1);
    expect(recent[0]).toMatchObject({ action: 'task.create', uid: body.task.uid, outcome: 'ok' });
    expect(await api.backend.auditChain.verify()).toMatchObject({ ok: true, pending: 0 });
  });

  it('reports how long live events took from append to the stream in /health/detailed', async () => {
    type Health = { streams: { open: number; deliveryLagMs: { p50: number; p99: number; max: number; events: number } | null } };
    const health = async () => (await (await fetch(`${api.url}/health/detailed`)).json()) as Health;
    const before = (await health()).streams.deliveryLagMs?.events ?? 0;
    const release = gatedModel();
    const { body } = await create();
    const streamed = events(body.task.id);
    // The model answers only once the stream is open, so its events reach it live.
    for (let i = 0; i < 200 && (await health()).streams.open === 0; i++) await new Promise((r) => setTimeout(r, 10));
    release();
    expect((await streamed).at(-1)!.event).toMatchObject({ type: 'status', status: 'done' });
    const lag = (await health()).streams.deliveryLagMs!;
    expect(lag.events).toBeGreaterThan(before);
    expect(lag.p50).toBeGreaterThanOrEqual(0);
    expect(lag.max).toBeLessThan(10_000);
  });
});

describe('task pipeline with no model configured', () => {
  it('fails the task with no_model_configured and says how to set one up', async () => {
    const api = await startTestApi();
    const redis = new Redis(api.config.REDIS_URL, { maxRetriesPerRequest: null });
    const gateway = createGatewayClient({ baseUrl: `${api.url}/gateway/v1`, apiKey: DEV_GATEWAY_TOKEN, timeoutMs: 5000 });
    const worker = new Worker(
      AGENT_TASK_QUEUE,
      createProcessor({
        store: new TaskStore(redis, api.config.REDIS_PREFIX),
        gateway,
        defaultModel: async () => 'any-model',
        maxRepairs: 0,
        log: pino({ level: 'silent' }),
      }),
      { connection: redis.duplicate(), prefix: bullPrefix(api.config.REDIS_PREFIX) },
    );
    try {
      const { idToken } = await emulatorUser();
      const res = await fetch(`${api.url}/api/agent/tasks`, {
        method: 'POST',
        headers: authed(idToken),
        body: JSON.stringify({ prompt: 'x', files: { 'a.ts': '' } }),
      });
      const { task } = (await res.json()) as { task: TaskView };
      const stream = await (await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(idToken) })).text();
      expect(stream).toMatch(/"code":"no_model_configured"/);
      expect(stream).toMatch(/OPENAI_API_KEY/);
      expect(stream).toMatch(/"status":"failed"/);
    } finally {
      await worker.close();
      redis.disconnect();
      await api.close();
    }
  });
});
