import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readSse,
  type AdminAuditPage,
  type AdminHealth,
  type AdminTaskDetail,
  type AdminTaskPage,
  type AdminUsage,
  type AdminUser,
  type AdminUserPage,
  type AuditVerifyResult,
  type TaskView,
  type UsageSummary,
} from '@patchpad/shared';
import { auditKeys } from '../src/audit/log';
import { emulatorAdmin, emulatorSignIn, emulatorUser, verifyEmulatorEmail } from '../../test-support/emulator-users';
import { authed, json, startTestApi, type ApiError, type TestApi } from './support';

/**
 * The admin API: 401 without a token, 403 for a non-admin, 400 naming the field, the data for
 * an admin, and an audit entry for every change.
 */
describe('admin API', () => {
  let api: TestApi;
  let admin: { uid: string; idToken: string; email: string };
  let alice: { uid: string; idToken: string; email: string };

  beforeAll(async () => {
    api = await startTestApi({ UNAUTHENTICATED_PER_MINUTE: '100000' });
    admin = await emulatorAdmin();
    alice = await emulatorUser();
    // Both become known users by using the API once.
    for (const u of [admin, alice]) expect((await fetch(`${api.url}/api/me`, { headers: authed(u.idToken) })).status).toBe(200);
  });
  afterAll(() => api.close());

  const as = (token: string | null, method: string, path: string, body?: unknown) =>
    fetch(`${api.url}/api/admin${path}`, {
      method,
      headers: token ? authed(token) : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const auditEntries = async (action: string) => {
    await api.backend.auditChain.drain();
    return (await api.backend.audit.recent(500)).filter((e) => e.action === action);
  };

  const routes: [string, string, unknown?][] = [
    ['GET', '/users'],
    ['GET', '/users/x'],
    ['PATCH', '/users/x', { plan: 'pro' }],
    ['POST', '/users/x/reset-usage'],
    ['GET', '/usage'],
    ['GET', '/audit'],
    ['GET', '/audit/verify'],
    ['GET', '/audit/export'],
    ['GET', '/health'],
    ['GET', '/tasks'],
    ['GET', '/tasks/x/00000000-0000-4000-8000-000000000000'],
  ];

  it('answers 401 without a token and 403 for a signed-in user without the admin role, on every route', async () => {
    for (const [method, path, body] of routes) {
      expect((await as(null, method, path, body)).status, `${method} ${path}`).toBe(401);
      const denied = await as(alice.idToken, method, path, body);
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect((await json<ApiError>(denied)).error.message).toMatch(/admin role/);
    }
  });

  it('grants the role from ADMIN_EMAILS only once the email is verified', async () => {
    const bob = await emulatorUser();
    const scoped = await startTestApi({ ADMIN_EMAILS: bob.email });
    try {
      expect((await fetch(`${scoped.url}/api/admin/users`, { headers: authed(bob.idToken) })).status).toBe(403);
      const verified = await verifyEmulatorEmail(bob);
      expect((await fetch(`${scoped.url}/api/admin/users`, { headers: authed(verified) })).status).toBe(200);
    } finally {
      await scoped.close();
    }
  });

  it('lists, searches and pages users with their plan, allowances and activity', async () => {
    const all = await json<AdminUserPage>(as(admin.idToken, 'GET', '/users?limit=1'));
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.users).toHaveLength(1);
    expect(all.next).toEqual(expect.any(String));
    const next = await json<AdminUserPage>(as(admin.idToken, 'GET', `/users?limit=1&cursor=${all.next}`));
    expect(next.users[0]!.uid).not.toBe(all.users[0]!.uid);
    const found = await json<AdminUserPage>(as(admin.idToken, 'GET', `/users?q=${encodeURIComponent(alice.email.toUpperCase())}`));
    expect(found.users).toEqual([
      expect.objectContaining({
        uid: alice.uid,
        email: alice.email,
        plan: 'free',
        admin: false,
        disabled: false,
        tokens: expect.objectContaining({ used: 0 }),
      }),
    ]);
    const byEmail = await json<AdminUserPage>(as(admin.idToken, 'GET', '/users?sort=email&limit=200'));
    const emails = byEmail.users.map((u) => u.email);
    expect(emails).toEqual([...emails].sort());
    for (const [query, field] of [
      ['sort=newest', 'sort'],
      ['limit=0', 'limit'],
      ['cursor=bogus', 'cursor'],
      ['extra=1', 'extra'],
    ] as const) {
      const bad = await as(admin.idToken, 'GET', `/users?${query}`);
      expect(bad.status, query).toBe(400);
      expect((await json<ApiError>(bad)).error.message, query).toMatch(new RegExp(field));
    }
  });

  it('changes a plan, overrides, disables and enables, resets usage: each applied, each audited', async () => {
    const bad = await as(admin.idToken, 'PATCH', `/users/${alice.uid}`, { plan: 'platinum' });
    expect(bad.status).toBe(400);
    expect((await json<ApiError>(bad)).error.message).toMatch(/plan/);
    expect((await as(admin.idToken, 'PATCH', `/users/${alice.uid}`, {})).status).toBe(400);
    expect((await as(admin.idToken, 'PATCH', `/users/${alice.uid}`, { overrides: { tokensPerMonth: -5 } })).status).toBe(400);
    expect((await as(admin.idToken, 'PATCH', '/users/nobody-like-this', { plan: 'pro' })).status).toBe(404);

    const changed = await json<{ user: AdminUser }>(as(admin.idToken, 'PATCH', `/users/${alice.uid}`, { plan: 'pro', overrides: { tasksPerDay: 7 } }));
    expect(changed.user).toMatchObject({ plan: 'pro', overrides: { tasksPerDay: 7 }, tasksToday: { limit: 7 } });
    const usage = await json<{ usage: UsageSummary }>(fetch(`${api.url}/api/me/usage`, { headers: authed(alice.idToken) }));
    expect(usage.usage).toMatchObject({ plan: 'pro', tasksToday: { limit: 7 } });

    await as(admin.idToken, 'PATCH', `/users/${alice.uid}`, { disabled: true, disabledReason: 'left the team' });
    const refused = await fetch(`${api.url}/api/me`, { headers: authed(alice.idToken) });
    expect(refused.status).toBe(403);
    expect((await json<ApiError>(refused)).error.message).toMatch(/disabled by an administrator: left the team/);
    await as(admin.idToken, 'PATCH', `/users/${alice.uid}`, { disabled: false });
    expect((await fetch(`${api.url}/api/me`, { headers: authed(alice.idToken) })).status).toBe(200);
    expect((await as(admin.idToken, 'POST', `/users/${alice.uid}/reset-usage`)).status).toBe(200);

    for (const action of ['admin.user.plan', 'admin.user.overrides', 'admin.user.disable', 'admin.user.enable', 'admin.user.reset_usage']) {
      expect(await auditEntries(action), action).toEqual([expect.objectContaining({ uid: admin.uid, target: alice.uid, outcome: 'ok' })]);
    }
  });

  it('grants and revokes the admin role through Firebase, audited; an admin cannot revoke themself', async () => {
    const carol = await emulatorUser();
    await fetch(`${api.url}/api/me`, { headers: authed(carol.idToken) });
    expect((await as(admin.idToken, 'PATCH', `/users/${carol.uid}`, { admin: true })).status).toBe(200);
    const promoted = await emulatorSignIn(carol.email);
    expect((await as(promoted, 'GET', '/health')).status).toBe(200);
    expect((await as(admin.idToken, 'PATCH', `/users/${carol.uid}`, { admin: false })).status).toBe(200);
    expect((await as(await emulatorSignIn(carol.email), 'GET', '/health')).status).toBe(403);
    const self = await as(admin.idToken, 'PATCH', `/users/${admin.uid}`, { admin: false });
    expect(self.status).toBe(400);
    expect(await auditEntries('admin.user.grant_admin')).toHaveLength(1);
    expect(await auditEntries('admin.user.revoke_admin')).toHaveLength(1);
  });

  it('filters the audit log by user, action, outcome and time, newest first, a page at a time', async () => {
    const log = api.backend.audit;
    for (let i = 0; i < 30; i++)
      await log.append({
        action: i % 3 ? 'project.save' : 'task.create',
        uid: i % 2 ? 'u-even' : 'u-odd',
        target: `t${i}`,
        outcome: i === 7 ? 'failed' : 'ok',
      });
    await api.backend.auditChain.drain();
    const page1 = await json<AdminAuditPage>(as(admin.idToken, 'GET', '/audit?uid=u-odd&action=task.create&limit=3'));
    expect(page1.entries).toHaveLength(3);
    for (const e of page1.entries) expect(e).toMatchObject({ uid: 'u-odd', action: 'task.create' });
    const page2 = await json<AdminAuditPage>(as(admin.idToken, 'GET', `/audit?uid=u-odd&action=task.create&limit=3&cursor=${page1.next}`));
    const targets = [...page1.entries, ...page2.entries].map((e) => Number(e.target!.slice(1)));
    expect(targets).toEqual([...targets].sort((a, b) => b - a));
    expect(targets).toEqual([24, 18, 12, 6, 0]);
    expect(page2.next).toBeNull();
    const failed = await json<AdminAuditPage>(as(admin.idToken, 'GET', '/audit?outcome=failed'));
    expect(failed.entries.map((e) => e.target)).toEqual(['t7']);
    const future = await json<AdminAuditPage>(as(admin.idToken, 'GET', `/audit?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`));
    expect(future.entries).toEqual([]);
    expect((await as(admin.idToken, 'GET', '/audit?from=yesterday')).status).toBe(400);
    expect((await as(admin.idToken, 'GET', '/audit?outcome=maybe')).status).toBe(400);
  });

  it('exports the filtered log as CSV and JSON, streamed', async () => {
    const csv = await as(admin.idToken, 'GET', '/audit/export?uid=u-odd&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="patchpad-audit-.*\.csv"/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('id,seq,at,action,uid,target,outcome,requestId,details');
    expect(lines.slice(1)).toHaveLength(15);
    const exported = await json<{ uid: string; seq: number }[]>(as(admin.idToken, 'GET', '/audit/export?uid=u-odd&format=json'));
    expect(exported).toHaveLength(15);
    expect(exported.map((e) => e.seq)).toEqual([...exported.map((e) => e.seq)].sort((a, b) => a - b));
    expect(await auditEntries('admin.audit.export')).toHaveLength(2);
  });

  it('verifies the chain, and names the entry someone changed in Redis', async () => {
    expect(await (await as(admin.idToken, 'GET', '/audit/verify')).json()).toMatchObject({ ok: true });
    await api.backend.auditChain.drain();
    // Someone with Redis write access rebuilds the log with one entry edited.
    const key = auditKeys(api.config.REDIS_PREFIX).log;
    const rows = (await api.redis.xrange(key, '-', '+')) as [string, string[]][];
    const victim = rows[Math.floor(rows.length / 2)]!;
    await api.redis.del(key);
    for (const [id, fields] of rows) {
      const f = Object.fromEntries(fields.flatMap((_, i) => (i % 2 ? [] : [[fields[i]!, fields[i + 1]!]])));
      const body = id === victim[0] ? f.e!.replace('"outcome":"ok"', '"outcome":"denied"') : f.e!;
      await api.redis.xadd(key, id, 's', f.s!, 'm', f.m!, 'e', body);
    }
    const seq = Number(victim[1][victim[1].indexOf('s') + 1]);
    const broken = await json<AuditVerifyResult>(as(admin.idToken, 'GET', '/audit/verify'));
    expect(broken).toMatchObject({ ok: false, firstBad: { id: victim[0], seq }, reason: expect.stringMatching(/modified/) });
  });

  it('tails the log live', async () => {
    const tail = await as(admin.idToken, 'GET', '/audit/tail');
    expect(tail.headers.get('content-type')).toMatch(/text\/event-stream/);
    await api.backend.audit.append({ action: 'project.save', uid: 'tail-user', target: 'live' });
    let seen: { uid: string; target: string } | undefined;
    for await (const m of readSse(tail.body!)) {
      const entry = JSON.parse(m.data) as { uid: string; target: string };
      if (entry.uid === 'tail-user') {
        seen = entry;
        break; // leaving the loop cancels the stream
      }
    }
    // A stream that ended before the entry came must fail the test, not skip its check.
    expect(seen?.target).toBe('live');
  });

  it('shows health, usage and tasks across users', async () => {
    const { task } = await json<{ task: TaskView }>(
      fetch(`${api.url}/api/agent/tasks`, {
        method: 'POST',
        headers: authed(alice.idToken),
        body: JSON.stringify({ prompt: 'x', files: { 'a.ts': '' } }),
      }),
    );
    const health = await json<AdminHealth>(as(admin.idToken, 'GET', '/health'));
    expect(health).toMatchObject({
      status: 'ok',
      redis: { ok: true },
      store: { ok: true, driver: 'fs' },
      queue: { waiting: expect.any(Number) },
      tasks: { live: 1 },
    });
    expect(health.redis.usedMemoryBytes).toBeGreaterThan(0);
    const live = await json<AdminTaskPage>(as(admin.idToken, 'GET', '/tasks?status=live'));
    expect(live.tasks).toEqual([expect.objectContaining({ id: task.id, uid: alice.uid, email: alice.email, status: 'queued', mode: 'patch' })]);
    const detail = await json<{ task: AdminTaskDetail }>(as(admin.idToken, 'GET', `/tasks/${alice.uid}/${task.id}`));
    expect(detail.task).toMatchObject({ id: task.id, email: alice.email, prompt: 'x', paths: ['a.ts'] });
    expect((await as(admin.idToken, 'GET', `/tasks/${alice.uid}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    await fetch(`${api.url}/api/agent/tasks/${task.id}/cancel`, { method: 'POST', headers: authed(alice.idToken) });
    const recent = await json<AdminTaskPage>(as(admin.idToken, 'GET', '/tasks?status=recent'));
    expect(recent.tasks[0]).toMatchObject({ id: task.id, status: 'cancelled' });
    const usage = await json<AdminUsage>(as(admin.idToken, 'GET', '/usage?range=24h'));
    expect(usage.tasks.reduce((n, t) => n + t.cancelled, 0)).toBe(1);
    expect(usage.range).toBe('24h');
    expect((await as(admin.idToken, 'GET', '/usage?range=1y')).status).toBe(400);
  });
});

describe('the audit tail and expiring tokens', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Tokens that expire 1.5 s after they are checked: a revoked admin must not keep reading.
    api = await startTestApi({}, { wrapVerifier: (v) => ({ verify: async (t) => ({ ...(await v.verify(t)), expiresAt: Date.now() + 1500 }) }) });
  });
  afterAll(() => api.close());

  it('ends the live tail with auth_expired when the token that opened it expires', async () => {
    const admin = await emulatorAdmin();
    const started = Date.now();
    const tail = await fetch(`${api.url}/api/admin/audit/tail`, { headers: authed(admin.idToken) });
    expect(tail.status).toBe(200);
    const events: string[] = [];
    for await (const m of readSse(tail.body!)) events.push(m.event ?? 'message');
    expect(events.at(-1)).toBe('auth_expired');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
