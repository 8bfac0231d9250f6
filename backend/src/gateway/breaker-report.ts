import { hostname } from 'node:os';
import type { RedisClient } from '@patchpad/shared/server';
import type { ProviderHealth } from '../admin/health';
import type { BreakerBoard, BreakerStatus } from './breaker';

/** A process's breakers older than this are from a process that is gone. */
const STALE_MS = 30_000;

const key = (prefix: string) => `${prefix}:{gateway}:breakers`;

/**
 * Breakers live in each process that calls providers (the gateway process, and the API's own
 * /gateway/v1). Each reports its board to Redis every few seconds, so the admin's health page
 * shows every provider's state wherever the calls are made.
 */
export function startBreakerReports(redis: RedisClient, prefix: string, breakers: BreakerBoard, everyMs = 5_000): () => Promise<void> {
  const id = `${hostname()}:${process.pid}`;
  const report = () => redis.hset(key(prefix), id, JSON.stringify({ at: Date.now(), breakers: breakers.snapshot() })).catch(() => undefined);
  void report();
  const timer = setInterval(report, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.hdel(key(prefix), id).catch(() => undefined);
  };
}

const SEVERITY: Record<string, number> = { open: 2, half_open: 1, closed: 0 };

/** Every provider endpoint's breaker across processes: the worst state reported, with its last error. */
export async function breakerReports(redis: RedisClient, prefix: string, now = Date.now()): Promise<ProviderHealth[]> {
  const raw = await redis.hgetall(key(prefix));
  const byEndpoint = new Map<string, BreakerStatus>();
  for (const [id, json] of Object.entries(raw)) {
    const report = JSON.parse(json) as { at: number; breakers: BreakerStatus[] };
    if (now - report.at > STALE_MS) {
      await redis.hdel(key(prefix), id);
      continue;
    }
    for (const b of report.breakers) {
      const seen = byEndpoint.get(b.endpoint);
      if (!seen || (SEVERITY[b.state] ?? 0) > (SEVERITY[seen.state] ?? 0) || (!seen.lastError && b.lastError)) byEndpoint.set(b.endpoint, b);
    }
  }
  return [...byEndpoint.values()].map((b) => ({ provider: b.endpoint, state: b.state, lastError: b.lastError }));
}
