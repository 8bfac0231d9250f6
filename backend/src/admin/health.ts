import type { AdminHealth } from '@patchpad/shared';
import { aliveWorkers, type RedisClient, type TaskQueue } from '@patchpad/shared/server';
import type { ProjectStore } from '../projects/store';

export type ProviderHealth = AdminHealth['providers'][number];

export type AdminHealthDeps = {
  redis: RedisClient;
  prefix: string;
  store: ProjectStore;
  queue: TaskQueue;
  tasks: () => Promise<NonNullable<AdminHealth['tasks']>>;
  audit: () => Promise<NonNullable<AdminHealth['audit']>>;
  /** Each provider's breaker as the gateway processes last reported it. */
  providers: () => Promise<ProviderHealth[]>;
};

async function timed<T>(fn: () => Promise<T>, timeoutMs = 2000): Promise<{ ok: boolean; ms: number; value?: T; error?: string }> {
  const started = performance.now();
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started), value };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

const infoField = (info: string | undefined, field: string) => {
  const m = info ? new RegExp(`^${field}:(\\d+)`, 'm').exec(info) : null;
  return m ? Number(m[1]) : null;
};

/** Everything an admin checks in the morning, each part with its own timeout so one slow part cannot hide the rest. */
export async function adminHealth(deps: AdminHealthDeps): Promise<AdminHealth> {
  const [redis, store, queue, tasks, workers, audit, providers] = await Promise.all([
    timed(async () => ({ memory: await deps.redis.info('memory'), clients: await deps.redis.info('clients') })),
    timed(() => deps.store.ping()),
    timed(() => deps.queue.counts()),
    timed(() => deps.tasks()),
    timed(() => aliveWorkers(deps.redis, deps.prefix)),
    timed(() => deps.audit()),
    timed(() => deps.providers()),
  ]);
  const ok = redis.ok && store.ok;
  return {
    status: ok ? 'ok' : 'degraded',
    redis: {
      ok: redis.ok,
      ms: redis.ms,
      usedMemoryBytes: infoField(redis.value?.memory, 'used_memory'),
      connectedClients: infoField(redis.value?.clients, 'connected_clients'),
      ...(redis.error ? { error: redis.error } : {}),
    },
    store: { ok: store.ok, ms: store.ms, driver: deps.store.driver, ...(store.error ? { error: store.error } : {}) },
    queue: queue.value ?? null,
    tasks: tasks.value ?? null,
    workers: workers.value ?? [],
    audit: audit.value ?? null,
    providers: providers.value ?? [],
  };
}
