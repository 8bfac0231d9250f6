import { Router } from 'express';
import type { RedisClient } from '@patchpad/shared/server';
import type { ProjectStore } from '../projects/store';
import type { ModelCatalog } from '../models/catalog';
import type { BreakerBoard } from '../gateway/breaker';
import type { DeliveryLag } from '../tasks/delivery-lag';

type Check = { ok: boolean; ms: number; error?: string };

/**
 * What /health/detailed reports. The API process has it all; the gateway-only process has no
 * project store, queue, tasks or streams (null or absent), and reports what it has.
 */
export type HealthDeps = {
  redis: RedisClient;
  store: ProjectStore | null;
  catalog: ModelCatalog;
  breakers: BreakerBoard;
  queueWaiting: (() => Promise<number>) | null;
  /** Tasks not yet ended; those past the age limit (the reaper ends them); those it ended, by reason. */
  tasks?: () => Promise<{ live: number; stuck: number; reaped: Record<string, number> }>;
  audit?: () => Promise<{ pending: number; chained: number }>;
  /**
   * Open event streams on this process, and how long its most recent live events took from
   * append to a client (ms).
   */
  streams?: () => { open: number; deliveryLagMs: ReturnType<DeliveryLag['snapshot']> };
};

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref())]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

const orNull = <T>(p: Promise<T> | undefined): Promise<T | null> => (p ? p.catch(() => null) : Promise.resolve(null));

/** `/health` is liveness (no I/O); `/health/detailed` checks each dependency with a timeout. */
export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/detailed', async (_req, res) => {
    const store = deps.store;
    const [redis, storage, waiting, tasks, audit] = await Promise.all([
      timed(() => deps.redis.ping()),
      store ? timed(() => store.ping()) : null,
      orNull(deps.queueWaiting?.()),
      orNull(deps.tasks?.()),
      orNull(deps.audit?.()),
    ]);
    const ok = redis.ok && (storage?.ok ?? true);
    const active = deps.catalog.active();
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      checks: { redis, ...(storage && store ? { storage: { ...storage, driver: store.driver } } : {}) },
      ...(deps.queueWaiting ? { queue: { waiting } } : {}),
      ...(deps.tasks ? { tasks } : {}),
      ...(deps.audit ? { audit } : {}),
      ...(deps.streams ? { streams: deps.streams() } : {}),
      models: { configured: active.length, default: deps.catalog.defaultAmong(active), registryVersion: deps.catalog.version },
      // Circuit breakers of this process, one per provider endpoint it has called.
      providers: deps.breakers.snapshot(),
    });
  });
  return router;
}
