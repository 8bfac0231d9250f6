import type { RedisClient } from '@patchpad/shared/server';
import { planAllows, type ModelEntry, type Plan } from '@patchpad/shared';
import type { Logger } from '../log';
import type { ModelStore } from './store';
import { planSeed, toModelId } from './seed';
import { detectOllama } from './ollama';

export type CatalogOptions = {
  store: ModelStore;
  /** A connection of its own: a subscribed connection can run nothing else. */
  subscriber: RedisClient | null;
  log: Logger;
  /** Models the environment configures (seeded into Redis at start). */
  envEntries: () => ModelEntry[];
  defaultModel?: string | undefined;
  ollama?: { url: string; timeoutMs: number; refreshMs: number; contextWindow: number } | null;
  /** Safety net under pub/sub (which drops messages while disconnected): compare versions this often. */
  pollMs?: number;
};

const SOURCE_ORDER: Record<ModelEntry['source'], number> = { env: 0, admin: 0, ollama: 1 };

/**
 * This process's copy of the model registry, read on every gateway call without I/O. It is
 * reloaded when another process announces a change on pub/sub, when the version counter
 * moved (checked every few seconds, in case a notice was lost) and after local writes.
 * Ollama's models (detected per host) join it; a registry entry with the same id wins.
 */
export class ModelCatalog {
  private registry: ModelEntry[] = [];
  private detected: ModelEntry[] = [];
  private byId = new Map<string, ModelEntry>();
  private ordered: ModelEntry[] = [];
  private loadedVersion = -1;
  private seeded = false;
  private reloading: Promise<void> | null = null;
  private again = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: CatalogOptions) {}

  get version(): number {
    return this.loadedVersion;
  }

  /** Seeds, loads and starts listening. With Redis down it starts empty and catches up later. */
  async start(): Promise<void> {
    const { subscriber, store, ollama } = this.options;
    if (subscriber) {
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === store.channel && Number(message) !== this.loadedVersion) void this.reload();
      });
      // After a reconnect, notices sent meanwhile are gone: reload to be sure.
      subscriber.on('ready', () => void this.reload());
      await subscriber.subscribe(store.channel).catch((err: Error) => this.options.log.warn({ err: err.message }, 'model registry: subscribe failed'));
    }
    await Promise.all([this.reload(), ollama ? this.detect() : null]);
    this.every(this.options.pollMs ?? 5_000, () => this.checkVersion());
    if (ollama) this.every(ollama.refreshMs, () => this.detect());
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }

  /** Calls `fn` after every change of the list; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Every entry, inactive ones included: registry first (in creation order), then Ollama's. */
  all(): readonly ModelEntry[] {
    return this.ordered;
  }

  active(): ModelEntry[] {
    return this.ordered.filter((m) => m.active);
  }

  resolve(id: string): ModelEntry | undefined {
    return this.byId.get(id);
  }

  isRegistryEntry(id: string): boolean {
    return this.registry.some((m) => m.id === id);
  }

  /** Active models a user on `plan` may use. */
  visibleTo(plan: Plan): ModelEntry[] {
    return this.ordered.filter((m) => m.active && planAllows(plan, m.requiredPlan));
  }

  /** DEFAULT_MODEL when it is among `models`, else the first of them. */
  defaultAmong(models: readonly ModelEntry[]): string | null {
    const wanted = this.options.defaultModel;
    if (wanted) {
      const hit = models.find((m) => m.id === wanted || m.id === toModelId(wanted));
      if (hit) return hit.id;
    }
    return models[0]?.id ?? null;
  }

  /** Reads the registry again (coalesced: concurrent calls share one read plus at most one more). */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async load(): Promise<void> {
    const { store, log } = this.options;
    try {
      if (!this.seeded) await this.seed();
      const snapshot = await store.snapshot();
      this.registry = snapshot.entries;
      this.loadedVersion = snapshot.version;
      this.rebuild();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'model registry: reload failed; keeping the last copy');
    }
  }

  private async seed(): Promise<void> {
    const { store, log } = this.options;
    const { raw } = await store.snapshot();
    const written = await store.seed(planSeed(this.options.envEntries(), raw));
    if (written > 0) log.info({ written }, 'model registry: entries from the environment written');
    this.seeded = true;
  }

  private async checkVersion(): Promise<void> {
    const version = await this.options.store.version().catch(() => null);
    if (version === null ? !this.seeded : version !== this.loadedVersion) await this.reload();
  }

  private async detect(): Promise<void> {
    const ollama = this.options.ollama;
    if (!ollama) return;
    const found = await detectOllama(ollama);
    const before = this.detected.map((m) => m.upstreamModel).join('\n');
    if (found.map((m) => m.upstreamModel).join('\n') === before) return;
    this.detected = found;
    this.options.log.info({ url: ollama.url, models: found.map((m) => m.id) }, 'ollama models detected');
    this.rebuild();
  }

  private rebuild(): void {
    const byId = new Map<string, ModelEntry>();
    for (const m of this.registry) byId.set(m.id, m);
    for (const m of this.detected) if (!byId.has(m.id)) byId.set(m.id, m);
    this.byId = byId;
    this.ordered = [...byId.values()].sort(
      (a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    for (const fn of this.listeners) fn();
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void fn().finally(() => (running = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
