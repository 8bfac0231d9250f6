import { randomBytes } from 'node:crypto';
import type { ProjectMeta, VersionManifest } from '@patchpad/shared';
import { AppError } from '../http/errors';
import type { Logger } from '../log';
import type { BlobFence } from './blob-fence';
import type { ProjectAudit } from './audit';
import type { ProjectLock } from './save-lock';
import { writeVersion, type ManifestFiles, type WriteStats } from './content';
import type { ProjectStore } from './store';

export type ProjectDeps = { store: ProjectStore; lock: ProjectLock; fence: BlobFence; audit: ProjectAudit };
/** Who acts (authors versions, owns projects). */
export type Actor = { uid: string; email: string | null };
/** The request a service call serves: for audit entries and logs. */
export type RequestCtx = { requestId: string; log?: Logger };

/** Sortable, unique version ids: time first, so names sort oldest to newest. */
export function newVersionId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** The project, if it is this user's and not in the trash; 404 otherwise. */
export async function activeMeta(store: ProjectStore, uid: string, projectId: string): Promise<ProjectMeta> {
  const meta = await store.getMeta(uid, projectId);
  if (!meta) throw AppError.notFound(`Project ${projectId}`);
  if (meta.deletedAt) throw new AppError(404, 'in_trash', `Project ${projectId} is in the trash; restore it to open or change it`);
  return meta;
}

export type NewVersion = {
  files: ManifestFiles;
  /** Text of every hash the store may lack. */
  contents: ReadonlyMap<string, string>;
  /** Hashes a live manifest references already (no existence check needed). */
  stored: ReadonlySet<string>;
  fields: Pick<VersionManifest, 'message' | 'mergeBase' | 'restoredFrom' | 'taskId'>;
};

/**
 * Stores a new latest version of a project (caller holds the project's lock): blobs, then the
 * manifest (parent = the previous latest), then the metadata that makes it the latest.
 */
export async function commitVersion(
  deps: Pick<ProjectDeps, 'store' | 'fence'>,
  meta: ProjectMeta,
  author: Actor,
  version: NewVersion,
): Promise<{ project: ProjectMeta; manifest: VersionManifest; stats: WriteStats }> {
  const manifest: VersionManifest = {
    id: newVersionId(),
    projectId: meta.id,
    createdAt: new Date().toISOString(),
    ...(meta.latestVersion ? { parent: meta.latestVersion } : {}),
    author: { uid: author.uid, email: author.email },
    ...Object.fromEntries(Object.entries(version.fields).filter(([, v]) => v !== undefined)),
    files: version.files,
  };
  const stats = await writeVersion(deps, meta.uid, manifest, version.contents, version.stored);
  const project: ProjectMeta = { ...meta, latestVersion: manifest.id, updatedAt: manifest.createdAt };
  await deps.store.putMeta(project);
  return { project, manifest, stats };
}

export const hashesOf = (m: VersionManifest | null): Set<string> => new Set(m ? Object.values(m.files).map((e) => e.sha256) : []);
