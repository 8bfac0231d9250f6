import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateTaskTokens, limitRefusalSchema, readSse, usageSummarySchema } from '@patchpad/shared';
import { z } from 'zod';
import { bodyOf, errorOf } from '../../test-support/api-bodies';
import { hasRedisCluster, startRedisCluster, type RedisCluster } from '../../test-support/redis-cluster';
import { ReliabilitySystem, TASK_FILES, authed, createTask, type ApiProcess } from '../../test-support/reliability/system';
import { auditScenario, burstScenario, chaosScenario, countConnections, crashScenario } from '../../test-support/reliability/scenarios';

/**
 * Issue 17: Patchpad on a real 3-node Redis Cluster with 2 API processes and 2 workers. Every
 * key it owns lives on the slot of its hash tag, so the same suites pass here unchanged.
 */
describe.skipIf(!hasRedisCluster())('on a 3-node Redis Cluster, 2 API processes and 2 workers', () => {
  let cluster: RedisCluster;
  let system: ReliabilitySystem;
  let apis: ApiProcess[];

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    system = new ReliabilitySystem(cluster.url, {
      apiEnv: { REAPER_INTERVAL_MS: '250', REAPER_GRACE_MS: '1000', QUOTA_FREE_TASKS_IN_FLIGHT: '1000', RATE_LIMIT_PER_MINUTE: '1000' },
      // What these runs check is delivery: no task lost or delivered twice. Type-checking each
      // patch (check-before-review.test.ts's subject) made a task ~150 ms of CPU, a new
      // project's checker each time, so 1,000 of them took from 85 s to past the 180 s wait
      // depending on the machine's day; without it they take ~30 s, kills still land mid-task.
      workerEnv: { TYPECHECK_PATCHES: 'off' },
      clusterNodes: cluster.nodes,
    });
    await system.start();
    apis = await Promise.all([system.startApi(), system.startApi()]);
    system.startWorker(apis[0]!.url);
    system.startWorker(apis[1]!.url);
  }, 90_000);
  afterAll(async () => {
    await system?.close();
    await cluster?.stop();
  });

  it('runs 1,000 tasks across both API processes while workers are killed at random: none lost, none delivered twice', { timeout: 300_000 }, async () => {
    const report = await chaosScenario(system, apis, await system.users(50), 1000, 700, 10);
    expect(report.accepted).toBe(1000);
    expect(report.lost).toBe(0);
    expect(report.deliveredTwice).toBe(0);
    expect(report.missingResult).toBe(0);
    expect(report.unreadable).toBe(0);
    expect(report.done + Object.values(report.otherEnds).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(report.workerKills).toBeGreaterThan(0);
  });

  it('resumes an event stream on the other API process exactly where it stopped', async () => {
    const [user] = await system.users(1);
    const res = await createTask(apis[0]!.url, user!.idToken);
    const { task } = (await res.json()) as { task: { id: string } };
    const read = async (api: ApiProcess, lastId?: string) => {
      const stream = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(user!.idToken, lastId ? { 'Last-Event-ID': lastId } : {}) });
      const out: { id: string | undefined; data: string }[] = [];
      for await (const m of readSse(stream.body!)) out.push({ id: m.id, data: m.data });
      return out;
    };
    const whole = await read(apis[0]!);
    expect(whole.at(-1)!.data).toMatch(/"status":"(done|failed)"/);
    const cut = Math.floor(whole.length / 2);
    const rest = await read(apis[1]!, whole[cut - 1]!.id);
    expect(rest).toEqual(whole.slice(cut));
  });

  it('keeps the burst, fault and audit guarantees', { timeout: 240_000 }, async () => {
    const burst = await burstScenario(system, apis[1]!.url, await system.users(20), 300);
    expect(burst).toMatchObject({ serverErrors: 0, lost: 0, otherStatuses: {} });
    const crashes = await crashScenario(system, apis[0]!, ['created', 'enqueued']);
    for (const c of crashes)
      expect({ step: c.step, orphans: c.orphans, ended: c.ended, audit: c.auditEntries }).toEqual({ step: c.step, orphans: 0, ended: c.tasks, audit: c.tasks });
    const audit = await auditScenario(cluster.url, `${system.prefix}a`, Buffer.from('cluster-audit-key-0123456789abcdef0123'), 1000, 10, cluster.nodes);
    expect(audit).toMatchObject({ chained: 1000, verified: true, namedSeq: audit.tamperedSeq });
  });

  it('never lets 200 creations at once through two API processes reserve past the monthly allowance', async () => {
    const estimate = estimateTaskTokens({ prompt: 'bump a', files: TASK_FILES });
    // Two more API processes with a small allowance; both check the same counters.
    const small = await Promise.all([0, 1].map(() => system.startApi({ QUOTA_FREE_TOKENS_PER_MONTH: String(estimate * 10) })));
    const [user] = await system.users(1);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => createTask(small[i % 2]!.url, user!.idToken)));
    // Workers finish tasks during the burst and give back what they did not spend, so more
    // than 10 may get in; what may never happen is the month's use plus reservations passing
    // the allowance, on any node, through either process.
    const accepted = answers.filter((r) => r.status === 202).length;
    expect(accepted).toBeGreaterThanOrEqual(10);
    const refused = answers.filter((r) => r.status === 429);
    expect(accepted + refused.length).toBe(200);
    expect(limitRefusalSchema.parse((await errorOf(refused[0]!)).details)).toMatchObject({ limit: 'tokens_per_month', max: estimate * 10 });
    const { usage } = await bodyOf(await fetch(`${small[0]!.url}/api/me/usage`, { headers: authed(user!.idToken) }), z.object({ usage: usageSummarySchema }));
    expect(usage.tokens.used + usage.tokens.reserved).toBeLessThanOrEqual(estimate * 10);
    for (const api of small) api.child.kill('SIGKILL');
  });

  it('saves a project through one API process and loads it through the other', async () => {
    const [user] = await system.users(1);
    const made = await fetch(`${apis[0]!.url}/api/projects`, { method: 'POST', headers: authed(user!.idToken), body: JSON.stringify({ name: 'Cluster' }) });
    expect(made.status).toBe(201);
    const { project, version } = (await made.json()) as { project: { id: string }; version: string };
    const saved = await fetch(`${apis[1]!.url}/api/projects/${project.id}/files`, {
      method: 'PUT',
      headers: authed(user!.idToken),
      body: JSON.stringify({ baseVersion: version, files: { 'a.ts': 'export const a = 3;\n' } }),
    });
    expect(saved.status).toBe(200);
    const loaded = (await (await fetch(`${apis[0]!.url}/api/projects/${project.id}`, { headers: authed(user!.idToken) })).json()) as {
      files: Record<string, string>;
    };
    expect(loaded.files).toEqual({ 'a.ts': 'export const a = 3;\n' });
  });

  it('holds a handful of Redis connections per process, on every node together', async () => {
    const perApi = await countConnections(system.redis(), `patchpad-api-${system.prefix}-`);
    // Cluster clients open one connection per node they talk to: 3 roles × 3 nodes × 3 API processes at most.
    expect(perApi).toBeLessThanOrEqual(3 * 3 * 3);
  });
});
