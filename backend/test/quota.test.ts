import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateTaskTokens, type LimitRefusal, type TaskView, type UsageSummary } from '@patchpad/shared';
import { quotaKeys, quotaPeriods } from '@patchpad/shared/server';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, json, startTestApi, type ApiError, type TestApi } from './support';

const body = { prompt: 'bump a', files: { 'a.ts': 'export const a = 1;\n' } };
const ESTIMATE = estimateTaskTokens({ prompt: body.prompt, files: body.files });
const create = (api: TestApi, token: string) => fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify(body) });

describe('quotas: reserve at creation, count what is spent, release the rest', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Room for exactly 10 tasks' reservations this month; everything else generous.
    api = await startTestApi(
      {
        QUOTA_FREE_TOKENS_PER_MONTH: String(ESTIMATE * 10 + ESTIMATE - 1),
        QUOTA_FREE_TASKS_IN_FLIGHT: '1000',
        QUOTA_FREE_TASKS_PER_DAY: '1000',
        RATE_LIMIT_PER_MINUTE: '1000',
      },
      { background: false },
    );
  });
  afterAll(() => api.close());

  const usage = async (token: string) => (await json<{ usage: UsageSummary }>(fetch(`${api.url}/api/me/usage`, { headers: authed(token) }))).usage;

  it('200 creations at once against room for 10: 10 accepted, 190 refused naming the monthly allowance, never over it', async () => {
    const { idToken } = await emulatorUser();
    const answers = await Promise.all(Array.from({ length: 200 }, () => create(api, idToken)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
    const refused = (await json<ApiError<LimitRefusal>>(answers.find((r) => r.status === 429)!)).error;
    const resetsAt = quotaPeriods(new Date()).monthResetsAt.toISOString();
    expect(refused).toMatchObject({ code: 'quota_exceeded', details: { limit: 'tokens_per_month', used: ESTIMATE * 10, max: ESTIMATE * 11 - 1, resetsAt } });
    expect(refused.message).toMatch(/past your plan's/);
    expect(Number(answers.find((r) => r.status === 429)!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await usage(idToken)).tokens).toEqual({ used: 0, reserved: ESTIMATE * 10, limit: ESTIMATE * 11 - 1, resetsAt });
  });

  it('gives the reservation back when a task ends, counting what the task reports it spent', async () => {
    const { idToken, uid } = await emulatorUser();
    const { task } = await json<{ task: TaskView }>(create(api, idToken));
    expect((await usage(idToken)).tokens).toMatchObject({ used: 0, reserved: ESTIMATE });
    // The gateway counts 120 tokens of a call for it: taken from the reservation first.
    await api.backend.ledger.consume(uid, task.id, 120);
    expect((await usage(idToken)).tokens).toMatchObject({ used: 120, reserved: ESTIMATE - 120 });
    expect((await fetch(`${api.url}/api/agent/tasks/${task.id}/cancel`, { method: 'POST', headers: authed(idToken) })).status).toBe(200);
    expect((await usage(idToken)).tokens).toMatchObject({ used: 120, reserved: 0 });
    expect(await api.redis.hexists(quotaKeys(api.config.REDIS_PREFIX, uid).reservations, task.id)).toBe(0);
  });

  it('counts a task’s own metrics at its end when no gateway call of ours counted them', async () => {
    const { idToken, uid } = await emulatorUser();
    const { task } = await json<{ task: TaskView }>(create(api, idToken));
    const store = api.backend.taskStore;
    await store.transition({ ...task, status: 'processing' }, [{ type: 'status', status: 'processing' }], ['queued']);
    const done = { ...task, status: 'done' as const, metrics: { tokensIn: 300, tokensOut: 45, attempts: 1 }, result: { filesModified: [], explanation: '' } };
    await store.transition(done, [{ type: 'status', status: 'done' }], ['processing']);
    expect((await usage(idToken)).tokens).toMatchObject({ used: 345, reserved: 0 });
    void uid;
  });

  it('counts tasks per day, and an admin override beats the plan', async () => {
    const { idToken, uid } = await emulatorUser();
    await api.backend.accounts.setOverrides(uid, { tasksPerDay: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await create(api, idToken)).status);
    expect(statuses).toEqual([202, 202, 429]);
    const last = await create(api, idToken);
    expect((await json<ApiError>(last)).error).toMatchObject({
      code: 'quota_exceeded',
      details: { limit: 'tasks_per_day', used: 2, max: 2, resetsAt: quotaPeriods(new Date()).dayResetsAt.toISOString() },
    });
    expect(await usage(idToken)).toMatchObject({ plan: 'free', tasksToday: { used: 2, limit: 2 } });
    await api.backend.ledger.reset(uid);
    expect((await create(api, idToken)).status).toBe(202);
  });

  it('refuses every request of a disabled account with 403 that says so, and lets it back when enabled', async () => {
    const { idToken, uid } = await emulatorUser();
    await api.backend.accounts.setDisabled(uid, true, 'unpaid invoice');
    for (const res of [await create(api, idToken), await fetch(`${api.url}/api/projects`, { headers: authed(idToken) })]) {
      expect(res.status).toBe(403);
      const error = (await json<ApiError>(res)).error;
      expect(error.code).toBe('account_disabled');
      expect(error.message).toMatch(/disabled by an administrator: unpaid invoice/);
    }
    await api.backend.accounts.setDisabled(uid, false);
    expect((await fetch(`${api.url}/api/me`, { headers: authed(idToken) })).status).toBe(200);
  });
});
