import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { ProjectStore } from '../projects/store';
import type { ModelCatalog } from '../models/catalog';
import type { BreakerBoard } from '../gateway/breaker';

type Check = { ok: boolean; ms: number; error?: string };

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref())]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

/** `/health` is liveness (no I/O); `/health/detailed` checks each dependency with a timeout. */
export function healthRoutes(deps: {
  redis: Redis;
  store: ProjectStore | null;
  catalog: ModelCatalog;
  breakers: BreakerBoard;
  queueDepth: (() => Promise<number>) | null;
}): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/detailed', async (_req, res) => {
    const store = deps.store;
    const [redis, storage] = await Promise.all([timed(() => deps.redis.ping()), store ? timed(() => store.ping()) : null]);
    const queued = deps.queueDepth ? await deps.queueDepth().catch(() => null) : null;
    const ok = redis.ok && (storage?.ok ?? true);
    const active = deps.catalog.active();
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      checks: { redis, ...(storage && store ? { storage: { ...storage, driver: store.driver } } : {}) },
      ...(deps.queueDepth ? { queue: { waiting: queued } } : {}),
      models: { configured: active.length, default: deps.catalog.defaultAmong(active), registryVersion: deps.catalog.version },
      // Circuit breakers of this process, one per provider endpoint it has called.
      providers: deps.breakers.snapshot(),
    });
  });
  return router;
}
