import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cluster, type Redis } from 'ioredis';
import { connectRedis, type RedisClient } from '@patchpad/shared/server';
import { freePort } from '../../scripts/lib/net';
import { emulatorUser } from '../emulator-users';
import { startFakeOpenAi } from '../fake-openai';

const root = resolve(import.meta.dirname, '../..');

/** A change the fake model proposes for `a.ts`; every task in these scenarios asks for it. */
export const TASK_FILES = { 'a.ts': 'export const a = 1;\n' };
/** The fake model's answer to every task. */
export const ANSWER = 'Bumped a.\n\n```diff\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;\n```\n';

export type ApiProcess = { url: string; child: ChildProcess; exited: Promise<number | null> };

/**
 * Real API and worker processes (node with tsx's loader, one process each, so a signal
 * reaches the code under test) on one Redis prefix, a zero-latency OpenAI-compatible upstream
 * on loopback, and signed-in emulator users.
 */
export class ReliabilitySystem {
  readonly prefix = `rel${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  readonly processes: ChildProcess[] = [];
  private dataDir = '';
  private upstream: Awaited<ReturnType<typeof startFakeOpenAi>> | null = null;

  private readonly apiEnv: Record<string, string>;
  private readonly workerEnv: Record<string, string>;
  readonly clusterNodes: string[];
  private readonly modelChunkDelayMs: number;

  constructor(
    readonly redisUrl: string,
    options: {
      /** Environment for every API process (limits, intervals). */
      apiEnv?: Record<string, string>;
      /** Environment for every worker process, replacements after a kill included. */
      workerEnv?: Record<string, string>;
      /** Redis Cluster seed nodes; empty for a single Redis. */
      clusterNodes?: string[];
      /** Pause between the fake model's streamed chunks (0: a model with no latency). */
      modelChunkDelayMs?: number;
    } = {},
  ) {
    this.apiEnv = options.apiEnv ?? {};
    this.workerEnv = options.workerEnv ?? {};
    this.clusterNodes = options.clusterNodes ?? [];
    this.modelChunkDelayMs = options.modelChunkDelayMs ?? 2;
  }

  async start(): Promise<void> {
    this.dataDir = await mkdtemp(join(tmpdir(), 'patchpad-reliability-'));
    this.upstream = await startFakeOpenAi(() => ANSWER, { chunkDelayMs: this.modelChunkDelayMs });
  }

  get modelRequests(): number {
    return this.upstream?.requests.length ?? 0;
  }

  private baseEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      REDIS_URL: this.redisUrl,
      REDIS_CLUSTER_NODES: this.clusterNodes.join(','),
      REDIS_PREFIX: this.prefix,
      AUDIT_HMAC_KEY: 'reliability-audit-key-0123456789abcdef01234',
    };
  }

  /** Starts an API process and resolves once it answers /health. */
  async startApi(env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ApiProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'backend/src/main.ts'], {
      cwd: root,
      env: {
        ...this.baseEnv(),
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: this.dataDir,
        FIREBASE_PROJECT_ID: process.env.FIREBASE_PROJECT_ID ?? 'demo-patchpad',
        OPENAI_COMPATIBLE_BASE_URL: this.upstream!.baseUrl,
        OPENAI_COMPATIBLE_MODELS: 'fake-model',
        ...this.apiEnv,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.processes.push(child);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 30_000; ;) {
      if (child.exitCode !== null) throw new Error(`API process exited with ${child.exitCode} during start-up`);
      const up = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('API process did not answer /health within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, child, exited };
  }

  startWorker(apiUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): ChildProcess {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'worker/src/main.ts'], {
      cwd: root,
      env: {
        ...this.baseEnv(),
        GATEWAY_URL: `${apiUrl}/gateway/v1`,
        DEFAULT_MODEL: 'fake-model',
        WORKER_CONCURRENCY: '8',
        WORKER_STALL_MS: '3000',
        ...this.workerEnv,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.processes.push(child);
    return child;
  }

  async users(count: number): Promise<{ uid: string; idToken: string }[]> {
    return Promise.all(Array.from({ length: count }, () => emulatorUser()));
  }

  /** A Redis connection (or Cluster client) for inspection; closed by `close`. */
  redis(): RedisClient {
    const connection = connectRedis({ url: this.redisUrl, clusterNodes: this.clusterNodes }, { name: 'patchpad-test-inspector', failFast: false });
    this.inspectors.push(connection);
    return connection;
  }
  private inspectors: RedisClient[] = [];

  async close(): Promise<void> {
    for (const child of this.processes) if (child.exitCode === null) child.kill('SIGKILL');
    await this.upstream?.close();
    await deletePrefix(this.redis(), this.prefix);
    this.inspectors.forEach((c) => c.disconnect());
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

export const authed = (token: string, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  ...extra,
});

export async function createTask(apiUrl: string, token: string, idempotencyKey?: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${apiUrl}/api/agent/tasks`, {
    method: 'POST',
    headers: authed(token, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
    body: JSON.stringify({ prompt: 'bump a', files: TASK_FILES }),
    ...(signal ? { signal } : {}),
  });
}

export type TaskSummary = { id: string; status: string; error?: { code: string; message: string } };

export async function taskStatus(apiUrl: string, token: string, id: string): Promise<TaskSummary | null> {
  const res = await fetch(`${apiUrl}/api/agent/tasks/${id}`, { headers: authed(token) });
  if (res.status === 404) return null;
  return ((await res.json()) as { task: TaskSummary }).task;
}

export async function listTasks(apiUrl: string, token: string): Promise<TaskSummary[]> {
  const res = await fetch(`${apiUrl}/api/agent/tasks?limit=100`, { headers: authed(token) });
  return ((await res.json()) as { tasks: TaskSummary[] }).tasks;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);
export const isTerminal = (status: string) => TERMINAL.has(status);

/**
 * Polls until every task has ended or `timeoutMs` passes; returns the last statuses seen. Each
 * round lists every owner's newest tasks (one request per user) and fetches one by one only
 * the tasks a list did not show: a GET per task per round made the poller itself the API's
 * heaviest client once a thousand tasks were open, and slowed the very runs it waits for.
 */
export async function waitForEnd(apiUrl: string, tasks: { token: string; id: string }[], timeoutMs: number): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  let open = tasks;
  while (open.length > 0 && Date.now() < deadline) {
    const tokens = [...new Set(open.map((t) => t.token))];
    const listed = new Set<string>();
    await Promise.all(
      tokens.map(async (token) => {
        for (const task of await listTasks(apiUrl, token).catch(() => [])) {
          statuses.set(task.id, task.status);
          listed.add(task.id);
        }
      }),
    );
    const unlisted = open.filter((t) => !listed.has(t.id));
    const seen = await Promise.all(unlisted.map(async (t) => ({ t, task: await taskStatus(apiUrl, t.token, t.id).catch(() => null) })));
    for (const { t, task } of seen) if (task) statuses.set(t.id, task.status);
    open = open.filter((t) => !isTerminal(statuses.get(t.id) ?? ''));
    if (open.length > 0) await new Promise((r) => setTimeout(r, 250));
  }
  return statuses;
}

/** Deletes every key under `prefix`, on each node of a cluster (a test-only scan). */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    for (let cursor = '0'; ;) {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      // One key at a time: in a cluster, keys of different slots cannot go in one DEL.
      await Promise.all(keys.map((k) => node.del(k)));
      if ((cursor = next) === '0') break;
    }
  }
}
