import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import { connectRedis, globalTaskKeys, taskKeys, type RedisClient } from '@patchpad/shared/server';
import { pino } from 'pino';
import { AuditChain } from '../../backend/src/audit/chain-store';
import { AuditLog, auditKeys } from '../../backend/src/audit/log';
import { authed, createTask, deletePrefix, isTerminal, listTasks, waitForEnd, type ApiProcess, type ReliabilitySystem } from './system';

/**
 * The reliability scenarios of issue 16, each returning what it measured. The integration
 * tests assert on these reports; `npm run report:reliability` writes them to docs/reliability.md.
 */

export type BurstReport = {
  requests: number;
  users: number;
  accepted: number;
  limited: number;
  /** 429s that carried Retry-After and a body naming the limit. */
  limitedExplained: number;
  serverErrors: number;
  otherStatuses: Record<string, number>;
  ended: Record<string, number>;
  /** Accepted (202) but not ended when the wait ran out. */
  lost: number;
  requestMs: number;
  drainMs: number;
};

/** `requests` task creations at once, spread over `users` signed-in users. */
export async function burstScenario(sys: ReliabilitySystem, apiUrl: string, users: { idToken: string }[], requests: number): Promise<BurstReport> {
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: requests }, async (_, i) => {
      const token = users[i % users.length]!.idToken;
      const res = await createTask(apiUrl, token, `burst-${randomUUID()}`).catch(() => null);
      if (!res) return { status: 0, token, body: null as unknown, retryAfter: null as string | null };
      return { status: res.status, token, body: (await res.json().catch(() => null)) as unknown, retryAfter: res.headers.get('retry-after') };
    }),
  );
  const requestMs = Date.now() - started;
  const report: BurstReport = {
    requests,
    users: users.length,
    accepted: 0,
    limited: 0,
    limitedExplained: 0,
    serverErrors: 0,
    otherStatuses: {},
    ended: {},
    lost: 0,
    requestMs,
    drainMs: 0,
  };
  const accepted: { token: string; id: string }[] = [];
  for (const a of answers) {
    if (a.status === 202) {
      report.accepted++;
      accepted.push({ token: a.token, id: (a.body as { task: { id: string } }).task.id });
    } else if (a.status === 429) {
      report.limited++;
      const details = (a.body as { error?: { details?: { limit?: string } } } | null)?.error?.details;
      if (a.retryAfter && Number(a.retryAfter) > 0 && details?.limit) report.limitedExplained++;
    } else if (a.status >= 500 || a.status === 0) report.serverErrors++;
    else report.otherStatuses[a.status] = (report.otherStatuses[a.status] ?? 0) + 1;
  }
  const drainStarted = Date.now();
  const statuses = await waitForEnd(apiUrl, accepted, 120_000);
  report.drainMs = Date.now() - drainStarted;
  for (const t of accepted) {
    const status = statuses.get(t.id) ?? 'unknown';
    report.ended[status] = (report.ended[status] ?? 0) + 1;
    if (!isTerminal(status)) report.lost++;
  }
  void sys;
  return report;
}

export type CrashCase = {
  step: string;
  idempotencyKey: boolean;
  /** The client got an answer before the process died (it should not have). */
  answered: boolean;
  /** Status of the retry with the same key (keyed cases). */
  retryStatus: number | null;
  /** Tasks of the user that exist afterwards, and how many of them ended. */
  tasks: number;
  ended: number;
  /** task.create audit entries for those tasks (one each). */
  auditEntries: number;
  /** Leftovers: live-index entries and pending markers of the user once everything settled. */
  orphans: number;
};

/**
 * Kills a real API process (SIGKILL, from inside, at the exact step) between each pair of
 * writes of a creation, with and without an Idempotency-Key. A steady API process serves the
 * retries and runs the reaper (once the dead processes' leases lapse); workers run the tasks.
 * The cases run side by side, each with its own user and its own doomed process.
 */
export async function crashScenario(sys: ReliabilitySystem, steady: ApiProcess, steps: readonly string[]): Promise<CrashCase[]> {
  const redis = sys.redis();
  const plans = steps.flatMap((step) => [true, false].map((withKey) => ({ step, withKey })));
  const users = await sys.users(plans.length);
  const doomed = await Promise.all(plans.map((p) => sys.startApi({ PATCHPAD_TEST_CRASH_AT: p.step })));
  const runs = await Promise.all(
    plans.map(async (plan, i) => {
      const user = users[i]!;
      const key = plan.withKey ? `crash-${randomUUID()}` : undefined;
      const answered = await createTask(doomed[i]!.url, user.idToken, key).then(
        () => true,
        () => false,
      );
      await doomed[i]!.exited;
      const retryStatus = key ? (await createTask(steady.url, user.idToken, key)).status : null;
      return { plan, user, answered, retryStatus };
    }),
  );
  // Everything each user has must end: retried tasks by the workers, abandoned ones once the
  // reaper has finished their creation.
  const settled = async (uid: string, token: string) =>
    (await listTasks(steady.url, token)).every((t) => isTerminal(t.status)) && (await userLeftovers(redis, sys.prefix, uid)) === 0;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    if ((await Promise.all(runs.map((r) => settled(r.user.uid, r.user.idToken)))).every(Boolean)) break;
  }
  const entries = await new AuditLog(redis, sys.prefix).recent(5000);
  return Promise.all(
    runs.map(async ({ plan, user, answered, retryStatus }) => {
      const tasks = await listTasks(steady.url, user.idToken);
      const ids = new Set(tasks.map((t) => t.id));
      return {
        step: plan.step,
        idempotencyKey: plan.withKey,
        answered,
        retryStatus,
        tasks: tasks.length,
        ended: tasks.filter((t) => isTerminal(t.status)).length,
        auditEntries: entries.filter((e) => e.action === 'task.create' && e.target && ids.has(e.target)).length,
        orphans: await userLeftovers(redis, sys.prefix, user.uid),
      };
    }),
  );
}

/** Live-index entries and creation-pending markers of one user's tasks. */
async function userLeftovers(redis: RedisClient, prefix: string, uid: string): Promise<number> {
  const live = (await redis.zrange(globalTaskKeys(prefix).live, 0, -1)).filter((m) => m.endsWith(`:${uid}`)).length;
  const ids = await redis.zrange(taskKeys(prefix, uid).index, 0, -1);
  const pending = await Promise.all(ids.map((id) => redis.exists(taskKeys(prefix, uid, id).pending)));
  return live + pending.reduce((n, x) => n + x, 0);
}

export type StreamReport = {
  streams: number;
  users: number;
  redisConnections: number;
  overCapStatus: number;
  overCapRetryAfter: string | null;
  apiRssMiB: number | null;
};

/**
 * Opens `users` × `perUser` event streams on one API process (tasks stay queued: no worker)
 * and counts that process's Redis connections; then one stream over a user's cap.
 */
export async function streamScenario(sys: ReliabilitySystem, api: ApiProcess, users: number, perUser: number, tasksPerUser: number): Promise<StreamReport> {
  const people = await sys.users(users);
  const abort = new AbortController();
  setMaxListeners(users * perUser + 10, abort.signal); // one listener per open stream
  const opened: Promise<Response>[] = [];
  for (const person of people) {
    const ids: string[] = [];
    for (let i = 0; i < tasksPerUser; i++) ids.push(((await (await createTask(api.url, person.idToken)).json()) as { task: { id: string } }).task.id);
    for (let i = 0; i < perUser; i++) {
      opened.push(fetch(`${api.url}/api/agent/tasks/${ids[i % ids.length]}/events`, { headers: authed(person.idToken), signal: abort.signal }));
    }
  }
  const responses = await Promise.all(opened);
  const streams = responses.filter((r) => r.status === 200).length;
  // Read each stream's first event, so every stream is really being served.
  await Promise.all(responses.map((r) => r.body?.getReader().read()));
  const redisConnections = await countConnections(sys.redis(), `patchpad-api-${sys.prefix}-`);
  const over = await fetch(`${api.url}/api/agent/tasks/${((await listTasks(api.url, people[0]!.idToken))[0] ?? { id: '' }).id}/events`, {
    headers: authed(people[0]!.idToken),
  });
  const health = (await (await fetch(`${api.url}/health/detailed`)).json()) as { streams?: { open: number } };
  void health;
  const rss = await processRssMiB(api.child.pid);
  abort.abort();
  await over.body?.cancel().catch(() => undefined);
  return { streams, users, redisConnections, overCapStatus: over.status, overCapRetryAfter: over.headers.get('retry-after'), apiRssMiB: rss };
}

/** Clients whose name starts with `namePrefix`, on every node of a cluster. */
export async function countConnections(redis: RedisClient, namePrefix: string): Promise<number> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let n = 0;
  for (const node of nodes) {
    const list = String(await node.client('LIST'));
    n += list.split('\n').filter((line) => line.includes(`name=${namePrefix}`)).length;
  }
  return n;
}

async function processRssMiB(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
}

export type AuditReport = {
  appends: number;
  connections: number;
  chained: number;
  verified: boolean;
  tamperedSeq: number;
  namedSeq: number | null;
  namedReason: string;
};

/**
 * 1,000 appends at once from several connections while an integrator runs; the chain must hold
 * them all, in order. Then one entry is edited as an attacker with Redis access would (the log
 * rebuilt, an unkeyed SHA-256 chain recomputed over it) and verify must name it.
 */
export async function auditScenario(
  redisUrl: string,
  prefix: string,
  key: Buffer,
  appends = 1000,
  connections = 10,
  clusterNodes: string[] = [],
): Promise<AuditReport> {
  const connect = () => connectRedis({ url: redisUrl, clusterNodes }, { name: 'patchpad-test-audit', failFast: false });
  const redis = connect();
  const clients = Array.from({ length: connections }, connect);
  const archive = new Map<string, Buffer>();
  const chain = new AuditChain({
    redis,
    prefix,
    key,
    archive: {
      putObject: async (n, d) => void archive.set(n, d),
      getObject: async (n) => archive.get(n) ?? null,
      listObjects: async (p) => [...archive.keys()].filter((n) => n.startsWith(p)).sort(),
    },
    log: pino({ level: 'silent' }),
    checkpointEvery: 250,
    checkpointIntervalMs: 3_600_000,
  });
  try {
    await chain.drain();
    const stop = chain.start(5);
    const logs = clients.map((c) => new AuditLog(c, prefix));
    await Promise.all(Array.from({ length: appends }, (_, i) => logs[i % logs.length]!.append({ action: 'test.burst', uid: `u${i % 20}`, target: String(i) })));
    await stop();
    await chain.drain();
    const verified = await chain.verify();
    const tamperedSeq = Math.ceil(appends * 0.6);
    const logKey = auditKeys(prefix).log;
    const rows = await redis.xrange(logKey, '-', '+');
    await redis.del(logKey);
    let unkeyed = '';
    for (const [id, fields] of rows) {
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      if (Number(f.s) === tamperedSeq) f.e = f.e!.replace(/"uid":"u\d+"/, '"uid":"mallory"');
      unkeyed = (await import('node:crypto')).createHash('sha256').update(unkeyed).update(f.e!).digest('hex');
      await redis.xadd(logKey, id, 's', f.s!, 'm', f.m!, 'e', f.e!, 'h', unkeyed);
    }
    const after = await chain.verify();
    return {
      appends,
      connections,
      chained: verified.entries,
      verified: verified.ok,
      tamperedSeq,
      namedSeq: after.ok ? null : after.firstBad.seq,
      namedReason: after.ok ? 'not detected' : after.reason,
    };
  } finally {
    await deletePrefix(redis, prefix);
    clients.forEach((c) => c.disconnect());
    redis.disconnect();
  }
}

/** `promise`, or an error that names `what` once `ms` pass. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export type RedisDropCase = { step: string; firstStatus: number; retryStatus: number; finalStatus: string; auditEntries: number; orphans: number };

/**
 * Redis dies (SIGKILL) between two writes of a creation, in a real API (in this process, so the
 * kill lands exactly at the step) and comes back from its append-only file; the client retries
 * with the same Idempotency-Key. The task must exist once, run, and end.
 */
export async function redisDropScenario(steps: readonly string[]): Promise<RedisDropCase[]> {
  const { OwnedRedis } = await import('./owned-redis');
  const { startTestApi } = await import('../../backend/test/support');
  const { startInProcessWorker } = await import('../worker');
  const { emulatorUser } = await import('../emulator-users');
  const { startFakeOpenAi } = await import('../fake-openai');
  const redis = new OwnedRedis();
  await redis.start();
  const upstream = await startFakeOpenAi(() => '```diff\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;\n```\n');
  let armed: string | null = null;
  const api = await startTestApi(
    {
      REDIS_URL: redis.url,
      OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl,
      OPENAI_COMPATIBLE_MODELS: 'fake-model',
      REAPER_INTERVAL_MS: '200',
      REAPER_GRACE_MS: '500',
    },
    {
      faults: async (step) => {
        if (step !== armed) return;
        armed = null;
        await redis.kill();
      },
    },
  );
  // A worker that was mid-task when Redis died hands the task back after its lock lapses.
  const worker = startInProcessWorker({ redisUrl: redis.url, prefix: api.config.REDIS_PREFIX, apiUrl: api.url, stallMs: 2_000 });
  const cases: RedisDropCase[] = [];
  const failures: unknown[] = [];
  try {
    for (const step of steps) {
      const user = await emulatorUser();
      const key = `drop-${randomUUID()}`;
      armed = step;
      // A request that never answers would otherwise surface as the whole test's timeout.
      const first = await within(20_000, `${step}: the creation Redis died under`, createTask(api.url, user.idToken, key));
      await redis.start();
      for (let i = 0; i < 100 && !(await fetch(`${api.url}/health/detailed`).then((r) => r.ok)); i++) await new Promise((r) => setTimeout(r, 100));
      const again = () => within(20_000, `${step}: the retry with the same key`, createTask(api.url, user.idToken, key));
      let retry = await again();
      for (let i = 0; i < 20 && retry.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 250));
        retry = await again();
      }
      const id = ((await retry.json()) as { task?: { id: string } }).task?.id;
      const statuses = id ? await waitForEnd(api.url, [{ token: user.idToken, id }], 60_000) : new Map<string, string>();
      const inspector = new Redis(redis.url);
      const settle = Date.now() + 10_000;
      while (Date.now() < settle && (await userLeftovers(inspector, api.config.REDIS_PREFIX, user.uid)) > 0) await new Promise((r) => setTimeout(r, 200));
      const entries = await new AuditLog(inspector, api.config.REDIS_PREFIX).recent(1000);
      cases.push({
        step,
        firstStatus: first.status,
        retryStatus: retry.status,
        finalStatus: id ? (statuses.get(id) ?? 'unknown') : 'no task',
        auditEntries: entries.filter((e) => e.action === 'task.create' && e.target === id).length,
        orphans: await userLeftovers(inspector, api.config.REDIS_PREFIX, user.uid),
      });
      inspector.disconnect();
    }
  } catch (err) {
    failures.push(err);
  }
  // Each one closes even when another hangs, so a hang is named and no redis-server is left.
  await within(30_000, 'closing the worker', worker.close()).catch((e: unknown) => failures.push(e));
  await within(30_000, 'closing the API', api.close()).catch((e: unknown) => failures.push(e));
  await upstream.close();
  await redis.stop();
  if (failures.length > 0) throw failures[0];
  return cases;
}

export type ChaosReport = {
  tasks: number;
  accepted: number;
  done: number;
  otherEnds: Record<string, number>;
  lost: number;
  /** Tasks whose event stream shows more than one result or more than one end. */
  deliveredTwice: number;
  /** Ended as done but with no result on their stream. */
  missingResult: number;
  /** Streams of ended tasks that did not end within their time limit when read back. */
  unreadable: number;
  workerKills: number;
  ms: number;
};

/**
 * `count` tasks created at once through several API processes while workers are SIGKILLed at
 * random and replaced; every task's stream is then read back through a different API process
 * than the one that created it.
 */
export async function chaosScenario(
  sys: ReliabilitySystem,
  apis: ApiProcess[],
  users: { idToken: string }[],
  count: number,
  killEveryMs: number,
  maxKills = 10,
): Promise<ChaosReport> {
  const started = Date.now();
  const created = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const token = users[i % users.length]!.idToken;
      const via = i % apis.length;
      const res = await createTask(apis[via]!.url, token, `chaos-${randomUUID()}`);
      return res.status === 202 ? { token, via, id: ((await res.json()) as { task: { id: string } }).task.id } : null;
    }),
  );
  const accepted = created.filter((c): c is { token: string; via: number; id: string } => c !== null);
  let kills = 0;
  // Each kill is replaced by a new worker, so as many run as before; bounded, so a slow machine
  // does not pile up processes.
  const chaos = setInterval(() => {
    if (kills >= maxKills) return clearInterval(chaos);
    const alive = sys.processes.filter((p) => p.exitCode === null && p.signalCode === null && p.spawnargs.some((a) => a.includes('worker/src/main.ts')));
    const victim = alive[Math.floor(Math.random() * alive.length)];
    if (!victim) return;
    victim.kill('SIGKILL');
    kills++;
    sys.startWorker(apis[kills % apis.length]!.url);
  }, killEveryMs);
  let statuses: Map<string, string>;
  try {
    statuses = await waitForEnd(apis[0]!.url, accepted, 180_000);
  } finally {
    clearInterval(chaos);
  }
  const report: ChaosReport = {
    tasks: count,
    accepted: accepted.length,
    done: 0,
    otherEnds: {},
    lost: 0,
    deliveredTwice: 0,
    missingResult: 0,
    unreadable: 0,
    workerKills: kills,
    ms: 0,
  };
  for (const t of accepted) {
    const status = statuses.get(t.id) ?? 'unknown';
    if (status === 'done') report.done++;
    else if (isTerminal(status)) report.otherEnds[status] = (report.otherEnds[status] ?? 0) + 1;
    else report.lost++;
  }
  // Read every stream back through the other API process, a few users at a time.
  const byUser = new Map<string, typeof accepted>();
  for (const t of accepted) byUser.set(t.token, [...(byUser.get(t.token) ?? []), t]);
  await Promise.all(
    [...byUser.values()].map(async (tasks) => {
      // Only ended tasks' streams end: a lost task is counted above, not waited for here.
      for (const t of tasks.filter((x) => isTerminal(statuses.get(x.id) ?? ''))) {
        const other = apis[(t.via + 1) % apis.length]!;
        const text = await fetch(`${other.url}/api/agent/tasks/${t.id}/events`, { headers: authed(t.token), signal: AbortSignal.timeout(15_000) })
          .then((res) => res.text())
          .catch(() => null);
        if (text === null) {
          report.unreadable++;
          continue;
        }
        const results = (text.match(/^event: result$/gm) ?? []).length;
        const ends = (text.match(/"status":"(done|failed|cancelled)"/g) ?? []).length;
        if (results > 1 || ends > 1) report.deliveredTwice++;
        if (statuses.get(t.id) === 'done' && results === 0) report.missingResult++;
      }
    }),
  );
  report.ms = Date.now() - started;
  return report;
}
