import { TRASH_RETENTION_DAYS } from '@patchpad/shared';
import type { Logger } from '../log';
import type { ProjectAudit } from './audit';
import type { ProjectLock } from './save-lock';
import { eachPage, type ProjectStore } from './store';

export const TRASH_RETENTION_MS = TRASH_RETENTION_DAYS * 24 * 60 * 60_000;

/** When a project deleted at `deletedAt` is purged. */
export function purgeAt(deletedAt: string, retentionMs = TRASH_RETENTION_MS): string {
  return new Date(Date.parse(deletedAt) + retentionMs).toISOString();
}

/**
 * Purges every project that has been in the trash longer than the retention period: its
 * manifests and metadata go; its blobs go with the next garbage collection (other projects
 * may share them). Each purge runs under the project's lock and re-reads the project first,
 * so a restore that lands meanwhile wins.
 */
export async function purgeExpiredTrash(
  deps: { store: ProjectStore; lock: ProjectLock; audit: ProjectAudit; log?: Logger },
  options: { retentionMs?: number; now?: number } = {},
): Promise<string[]> {
  const retentionMs = options.retentionMs ?? TRASH_RETENTION_MS;
  const now = options.now ?? Date.now();
  const expired = (deletedAt: string | undefined) => deletedAt !== undefined && Date.parse(purgeAt(deletedAt, retentionMs)) <= now;
  const purged: string[] = [];
  await eachPage(
    (after) => deps.store.scanProjects({ ...(after === undefined ? {} : { after }), limit: 200 }),
    async (metas) => {
      for (const meta of metas.filter((m) => expired(m.deletedAt))) {
        const done = await deps.lock.run(meta.uid, meta.id, async () => {
          const current = await deps.store.getMeta(meta.uid, meta.id);
          if (!current || !expired(current.deletedAt)) return false;
          // Audit first: if the delete then fails, the next run purges again and the same
          // eventId keeps the log to one entry.
          await deps.audit.append({
            action: 'project.purge',
            uid: meta.uid,
            target: meta.id,
            outcome: 'ok',
            eventId: `project.purge:${meta.id}:${current.deletedAt}`,
          });
          await deps.store.deleteProject(meta.uid, meta.id);
          return true;
        });
        if (done) purged.push(meta.id);
      }
    },
  );
  if (purged.length > 0) deps.log?.info({ purged }, 'purged projects from the trash');
  return purged;
}
