import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { withTestServices } from '../../scripts/lib/services';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { deleteKeys } from '../../test-support/redis-keys';
import { runTask, throughput, type Route } from './client';
import { startFloor } from './floor/start';

/**
 * `npm run bench:pipeline`: in one run, on the same Redis,
 * - raw BullMQ: add → a no-op worker → completed, one job in flight (the floor any queue-based
 *   pipeline stands on);
 * - Patchpad: POST /api/agent/tasks → the task's `result` event on its stream, through real API
 *   and worker processes and a zero-latency OpenAI-compatible model: one task in flight on one
 *   API and one worker (the set-up of the issue's own 30 ms) and on two of each, 200 in flight,
 *   and the throughput of 2 API + 2 worker processes.
 * - the floor (./floor/start.ts): the same processes and hops with none of Patchpad's logic,
 *   measured the same ways, so that what Patchpad's own work costs on this machine can be told
 *   apart from what the shape of the pipeline costs.
 * Last line: `pipeline p50_ms_1=<x> tasks_per_s=<y> p99_over_p50_200=<z> raw_bullmq_p50_ms=<r>`,
 * p50_ms_1 on one API and one worker.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line: string) => console.log(`[pipeline] ${line}`);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (n: number) => Math.round(n * 100) / 100;

async function rawBullmq(redisUrl: string, samples: number): Promise<number[]> {
  const prefix = `benchraw${Date.now().toString(36)}:{bull}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection, prefix });
  const events = new QueueEvents('raw', { connection: { url: redisUrl }, prefix });
  const worker = new Worker('raw', async () => undefined, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix });
  await events.waitUntilReady();
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      // Kept until the run ends (obliterated below): a removed job cannot be waited for.
      const job = await queue.add('j', { i });
      await job.waitUntilFinished(events);
      times.push(performance.now() - started);
    }
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
  return times;
}

/**
 * Each traced task's steps: the client's POST, the worker's phases from the task's metrics, and
 * what is left between the worker's last phase and the client seeing the result (the final
 * write, the announcement, the stream).
 */
async function phaseBreakdown(traces: { id: string; token: string; apiUrl: string; postMs: number; totalMs: number }[]): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = { 'POST /api/agent/tasks (client)': [] };
  for (const t of traces) {
    const res = await fetch(`${t.apiUrl}/api/agent/tasks/${t.id}`, { headers: { Authorization: `Bearer ${t.token}` } });
    const { task } = (await res.json()) as { task: { metrics: { phases?: Record<string, number> } } };
    const phases = task.metrics.phases ?? {};
    out['POST /api/agent/tasks (client)']!.push(t.postMs);
    for (const [k, v] of Object.entries(phases)) (out[`worker: ${k}`] ??= []).push(v);
    const accounted = Object.values(phases).reduce((a, b) => a + b, 0);
    (out['result written → client has it, and the rest'] ??= []).push(Math.max(0, t.totalMs - accounted));
  }
  return out;
}

/** CPU time (ms) used so far by the API and worker processes, summed per role, from /proc. */
async function cpuByRole(children: { pid?: number; spawnargs: string[]; exitCode: number | null }[]): Promise<Record<string, number>> {
  const { readFile } = await import('node:fs/promises');
  const out: Record<string, number> = {};
  for (const child of children) {
    if (!child.pid || child.exitCode !== null) continue;
    const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const role = child.spawnargs.some((a) => a.includes('worker/src') || a.endsWith('floor/worker.ts')) ? 'worker processes' : 'API processes';
    out[role] = (out[role] ?? 0) + (ticks * 1000) / 100;
  }
  return out;
}

/** CPU ms per task of each role over a run of `total` tasks, this process's (client and fake model) included. */
async function cpuPerTask<T>(
  processes: Parameters<typeof cpuByRole>[0],
  total: number,
  run: () => Promise<T>,
): Promise<{ result: T; perTask: Record<string, number> }> {
  const before = await cpuByRole(processes);
  const self = process.cpuUsage();
  const result = await run();
  const after = await cpuByRole(processes);
  const used = process.cpuUsage(self);
  const perTask = Object.fromEntries(Object.entries(after).map(([role, ms]) => [role, (ms - (before[role] ?? 0)) / total]));
  perTask['client + fake model (this process)'] = (used.user + used.system) / 1000 / total;
  return { result, perTask };
}

async function main(): Promise<void> {
  await withTestServices(root, log, async ({ env, redisUrl }) => {
    Object.assign(process.env, env);
    const { ReliabilitySystem, authed, TASK_FILES, ANSWER } = await import('../../test-support/reliability/system');
    const body = JSON.stringify({ prompt: 'bump a', files: TASK_FILES });
    const warm = 20;
    const total = 2000;
    log('raw BullMQ, 1 job in flight…');
    const raw = (await rawBullmq(redisUrl, 300 + warm)).slice(warm);

    log(
      'the floor (the same processes and hops, none of Patchpad’s logic), 1 task in flight on 1 API + 1 worker, then on 2 + 2, then 2,000 tasks 200 at a time…',
    );
    const floorUpstream = await startFakeOpenAi(() => ANSWER, { chunkDelayMs: 0 });
    const floor = await startFloor(redisUrl, floorUpstream.baseUrl, 1);
    const floorRoute = (i: number): Route => {
      const api = floor.apis[i % floor.apis.length]!;
      return { create: `${api}/tasks`, events: (id) => `${api}/tasks/${id}/events`, headers: { 'Content-Type': 'application/json' } };
    };
    const sequential = async (route: (i: number) => Route, count: number) => {
      const out: Awaited<ReturnType<typeof runTask>>[] = [];
      for (let i = 0; i < count + warm; i++) out.push(await runTask(route(i), body));
      return out.slice(warm);
    };
    let floorSingle: number[];
    let floorPair: number[];
    let floorRun: { result: { seconds: number; tasksPerS: number }; perTask: Record<string, number> };
    try {
      floorSingle = (await sequential(floorRoute, 200)).map((t) => t.totalMs);
      await floor.addPair();
      floorPair = (await sequential(floorRoute, 200)).map((t) => t.totalMs);
      floorRun = await cpuPerTask(floor.processes, total, () => throughput(floorRoute, body, total, 200));
    } finally {
      await floor.close();
      await floorUpstream.close();
      const inspector = new Redis(redisUrl);
      await deleteKeys(inspector, `${floor.prefix}:*`);
      inspector.disconnect();
    }

    const system = new ReliabilitySystem(redisUrl, {
      apiEnv: {
        QUOTA_FREE_TASKS_IN_FLIGHT: '10000',
        QUOTA_FREE_TASKS_PER_DAY: '1000000',
        QUOTA_FREE_TOKENS_PER_MONTH: '1000000000',
        RATE_LIMIT_PER_MINUTE: '100000',
        STREAMS_PER_USER: '1000',
      },
      modelChunkDelayMs: 0,
    });
    await system.start();
    try {
      // One API and one worker first (the set-up of the issue's own 30 ms), then a second pair.
      const apis = [await system.startApi({}, process.env.PROFILE_API ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_API}`] : [])];
      // The pipeline's own costs: the worker's type-check (compiler time, issue 21) is measured
      // separately below, since with a model of zero latency it would be nearly all of a task.
      const checkOff = [system.startWorker(apis[0]!.url, { WORKER_CONCURRENCY: '64', TYPECHECK_PATCHES: 'off' })];
      const users = await system.users(20);
      const route = (i: number, live: { url: string }[] = apis): Route => {
        const api = live[i % live.length]!.url;
        return { create: `${api}/api/agent/tasks`, events: (id) => `${api}/api/agent/tasks/${id}/events`, headers: authed(users[i % users.length]!.idToken) };
      };

      log('Patchpad, 1 task in flight, 1 API + 1 worker…');
      const traced = await sequential(route, 200);
      const single = traced.map((t) => t.totalMs);
      const phases = await phaseBreakdown(traced.map((t, i) => ({ ...t, token: users[(i + warm) % users.length]!.idToken, apiUrl: apis[0]!.url })));

      log('Patchpad, 1 task in flight, 2 API + 2 workers…');
      apis.push(await system.startApi());
      checkOff.push(system.startWorker(apis[1]!.url, { WORKER_CONCURRENCY: '64', TYPECHECK_PATCHES: 'off' }));
      const pair = (await sequential(route, 200)).map((t) => t.totalMs);

      log('Patchpad, 200 tasks in flight…');
      const loaded = (await Promise.all(Array.from({ length: 200 }, (_, i) => runTask(route(i), body)))).map((t) => t.totalMs);

      log('Patchpad throughput, 2 API + 2 worker processes, 2,000 tasks, 200 at a time…');
      const { result: run, perTask } = await cpuPerTask(system.processes, total, () => throughput(route, body, total, 200));
      if (process.env.PROFILE_API) {
        // A graceful stop, so Node writes the CPU profile of the first API process.
        apis[0]!.child.kill('SIGTERM');
        await apis[0]!.exited;
      }

      log('Patchpad, 1 task in flight, with the type-check before review…');
      for (const w of checkOff) w.kill('SIGKILL');
      // The profiled API process was stopped above; the rest of the run uses the live ones.
      const live = process.env.PROFILE_API ? apis.slice(1) : apis;
      for (const api of live) system.startWorker(api.url, { WORKER_CONCURRENCY: '64', TYPECHECK_PATCHES: 'on' });
      const checked: number[] = [];
      for (let i = 0; i < 60 + warm; i++) checked.push((await runTask(route(i, live), body)).totalMs);
      checked.splice(0, warm);

      const rawP50 = quantile(raw, 0.5);
      const p50 = quantile(single, 0.5);
      const floorP50 = quantile(floorSingle, 0.5);
      const loadedP50 = quantile(loaded, 0.5);
      const loadedP99 = quantile(loaded, 0.99);
      const floorPairP50 = quantile(floorPair, 0.5);
      // Each row against the floor on the same processes (1 + 1 or 2 + 2).
      const row = (label: string, xs: number[], floorRef = floorP50) =>
        `| ${label} | ${ms(quantile(xs, 0.5))} ms | ${ms(quantile(xs, 0.95))} ms | ${ms(quantile(xs, 0.99))} ms | ${ms(quantile(xs, 0.5) / rawP50)}× | ${ms(quantile(xs, 0.5) / floorRef)}× |`;
      console.log('');
      console.log('| measured | p50 | p95 | p99 | vs raw BullMQ p50 | vs the floor p50 on the same processes |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      console.log(row('raw BullMQ add → completed, 1 in flight', raw));
      console.log(row('the floor: POST → result event, 1 in flight, 1 API + 1 worker', floorSingle));
      console.log(row('the floor, 1 in flight, 2 API + 2 workers', floorPair, floorPairP50));
      console.log(row('Patchpad POST → result event, 1 in flight, 1 API + 1 worker', single));
      console.log(row('Patchpad, 1 in flight, 2 API + 2 workers', pair, floorPairP50));
      console.log(row('Patchpad, 200 in flight, 2 API + 2 workers', loaded, floorPairP50));
      console.log(row('Patchpad, 1 in flight, 2 API + 2 workers, with the type-check before review (a real compiler run per task)', checked, floorPairP50));
      console.log('');
      console.log("Where one task's time goes (1 in flight, 1 API + 1 worker, p50 of each step):");
      console.log('');
      console.log('| step | p50 |');
      console.log('| --- | --- |');
      for (const [step, values] of Object.entries(phases)) console.log(`| ${step} | ${ms(quantile(values, 0.5))} ms |`);
      console.log('');
      console.log(`Throughput and CPU per task, 2 API + 2 worker processes, ${total} tasks 200 at a time (all processes of a role together):`);
      console.log('');
      console.log('| | tasks/s | API processes | worker processes | client + fake model (this process) | all |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      for (const [label, r] of [
        ['the floor', floorRun],
        ['Patchpad', { result: run, perTask }],
      ] as const) {
        const cpu = r.perTask;
        const all = Object.values(cpu).reduce((a, b) => a + b, 0);
        console.log(
          `| ${label} | ${Math.round(r.result.tasksPerS)} | ${ms(cpu['API processes'] ?? NaN)} ms | ${ms(cpu['worker processes'] ?? NaN)} ms | ${ms(cpu['client + fake model (this process)'] ?? NaN)} ms | ${ms(all)} ms |`,
        );
      }
      const floorServerCpu = (floorRun.perTask['API processes'] ?? 0) + (floorRun.perTask['worker processes'] ?? 0);
      const floorCpu = floorServerCpu + (floorRun.perTask['client + fake model (this process)'] ?? 0);
      const cpuMsPerSecond = availableParallelism() * 1000;
      console.log('');
      console.log(
        `This machine has ${availableParallelism()} cores: ${cpuMsPerSecond} ms of CPU a second. The floor, with no logic of Patchpad's, spends ${ms(floorCpu)} ms of it per task with its client and model on the same machine (at most ${Math.round(cpuMsPerSecond / floorCpu)} tasks/s), ${ms(floorServerCpu)} ms in its API and worker processes alone (at most ${Math.round(cpuMsPerSecond / floorServerCpu)} tasks/s with the client elsewhere).`,
      );
      console.log(`Throughput: ${total} tasks in ${ms(run.seconds)} s = ${Math.round(run.tasksPerS)} tasks/s with 2 API + 2 worker processes on this machine.`);
      console.log(
        `pipeline p50_ms_1=${ms(p50)} tasks_per_s=${Math.round(run.tasksPerS)} p99_over_p50_200=${ms(loadedP99 / loadedP50)} raw_bullmq_p50_ms=${ms(rawP50)}`,
      );
    } finally {
      await system.close();
    }
  });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`[pipeline] ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
