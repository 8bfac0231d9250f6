import { hostname } from 'node:os';
import { z } from 'zod';
import type { RedisClient } from './redis/script';

const heartbeatSchema = z.object({ id: z.string(), host: z.string(), concurrency: z.number(), running: z.number(), lastSeenAt: z.string() });
export type WorkerHeartbeat = z.infer<typeof heartbeatSchema>;

/** A worker that has not reported for this long is gone (its heartbeat comes every few seconds). */
export const WORKER_GONE_MS = 30_000;

export function workersKey(prefix: string): string {
  return `${prefix}:{workers}:alive`;
}

/** Each worker process reports itself every `everyMs`, so admins see which workers are alive. */
export function startHeartbeat(
  redis: RedisClient,
  prefix: string,
  state: () => { concurrency: number; running: number },
  everyMs = 5_000,
): () => Promise<void> {
  const id = `${hostname()}:${process.pid}`;
  const beat = () =>
    redis.hset(workersKey(prefix), id, JSON.stringify({ id, host: hostname(), ...state(), lastSeenAt: new Date().toISOString() })).catch(() => undefined);
  void beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.hdel(workersKey(prefix), id).catch(() => undefined);
  };
}

/** Workers heard from recently; entries of workers long gone are removed on the way. */
export async function aliveWorkers(redis: RedisClient, prefix: string, now = Date.now()): Promise<WorkerHeartbeat[]> {
  const raw = await redis.hgetall(workersKey(prefix));
  const alive: WorkerHeartbeat[] = [];
  for (const [id, json] of Object.entries(raw)) {
    const beat = heartbeatSchema.safeParse(JSON.parse(json));
    if (beat.success && now - Date.parse(beat.data.lastSeenAt) < WORKER_GONE_MS) alive.push(beat.data);
    else await redis.hdel(workersKey(prefix), id);
  }
  return alive.sort((a, b) => a.id.localeCompare(b.id));
}
