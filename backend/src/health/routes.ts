import { Router } from 'express';
import type { RedisClient } from '@patchpad/shared/server';
import type { ProjectStore } from '../projects/store';
import type { ModelRegistry } from '../gateway/registry';

type Check = { ok: boolean; ms: number; error?: string };

export type HealthDeps = {
  redis: RedisClient;
  store: ProjectStore;
  registry: ModelRegistry;
  queueWaiting: () => Promise<number>;
  /** Tasks not yet ended; those past the age limit (the reaper ends them); those it ended, by reason. */
  tasks: () => Promise<{ live: number; stuck: number; reaped: Record<string, number> }>;
  audit: () => Promise<{ pending: number; chained: number }>;
  /** Open event streams on this process. */
  streams: () => number;
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

const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

/** `/health` is liveness (no I/O); `/health/detailed` checks each dependency with a timeout. */
export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/detailed', async (_req, res) => {
    const [redis, storage, waiting, tasks, audit] = await Promise.all([
      timed(() => deps.redis.ping()),
      timed(() => deps.store.ping()),
      orNull(deps.queueWaiting()),
      orNull(deps.tasks()),
      orNull(deps.audit()),
    ]);
    const ok = redis.ok && storage.ok;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      checks: { redis, storage: { ...storage, driver: deps.store.driver } },
      queue: { waiting },
      tasks,
      audit,
      streams: { open: deps.streams() },
      models: { configured: deps.registry.models.length, default: deps.registry.defaultModel },
    });
  });
  return router;
}
