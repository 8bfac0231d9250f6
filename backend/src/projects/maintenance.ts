import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@patchpad/shared/server';
import type { Logger } from '../log';
import type { ProjectAudit } from './audit';
import type { BlobFence } from './blob-fence';
import { collectGarbage, type GcReport } from './gc';
import type { ProjectLock } from './save-lock';
import type { ProjectStore } from './store';
import { purgeExpiredTrash } from './trash';

export type MaintenanceDeps = {
  store: ProjectStore;
  lock: ProjectLock;
  fence: BlobFence;
  audit: ProjectAudit;
  redis: RedisClient;
  prefix: string;
  log: Logger;
};

/**
 * Storage hygiene on a timer: purge projects whose time in the trash is up, then collect the
 * blobs nothing references any more. Every API instance runs the timer; a Redis lease lets
 * one of them do the work per period.
 */
export class ProjectMaintenance {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly deps: MaintenanceDeps,
    private readonly everyMs = 6 * 60 * 60_000,
  ) {}

  start(): void {
    // A first run shortly after start, then every period; unref: it never keeps the process alive.
    this.timers = [setTimeout(() => this.tick(), Math.min(this.everyMs, 5 * 60_000)), setInterval(() => this.tick(), this.everyMs)];
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.runIfLeased()
      .catch((err: unknown) => this.deps.log.error({ err }, 'project storage maintenance failed'))
      .finally(() => (this.running = null));
  }

  /** Runs once if no other instance holds the lease for this period. */
  async runIfLeased(): Promise<{ purged: string[]; gc: GcReport } | null> {
    const key = `${this.deps.prefix}:{blobs}:maintenance-lease`;
    const leased = await this.deps.redis.set(key, randomBytes(8).toString('hex'), 'PX', Math.max(60_000, this.everyMs - 60_000), 'NX');
    if (leased !== 'OK') return null;
    return this.runOnce();
  }

  async runOnce(options: { graceMs?: number; retentionMs?: number } = {}): Promise<{ purged: string[]; gc: GcReport }> {
    const purged = await purgeExpiredTrash(this.deps, options.retentionMs === undefined ? {} : { retentionMs: options.retentionMs });
    const gc = await collectGarbage(this.deps, options.graceMs === undefined ? {} : { graceMs: options.graceMs });
    return { purged, gc };
  }
}
