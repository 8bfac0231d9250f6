import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { ProjectStore } from '../projects/store';
import type { ModelRegistry } from '../gateway/registry';

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
export function healthRoutes(deps: { redis: Redis; store: ProjectStore; registry: ModelRegistry; queueDepth: () => Promise<number> }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/detailed', async (_req, res) => {
    const [redis, storage] = await Promise.all([timed(() => deps.redis.ping()), timed(() => deps.store.ping())]);
    const queued = await deps.queueDepth().catch(() => null);
    const ok = redis.ok && storage.ok;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      checks: { redis, storage: { ...storage, driver: deps.store.driver } },
      queue: { waiting: queued },
      models: { configured: deps.registry.models.length, default: deps.registry.defaultModel },
    });
  });
  return router;
}
