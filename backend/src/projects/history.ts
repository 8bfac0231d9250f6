import type { ProjectSnapshot, VersionManifest, VersionPage, VersionSummary } from '@patchpad/shared';
import { AppError } from '../http/errors';
import { recordDone } from './audit';
import { activeMeta, commitVersion, hashesOf, type Actor, type ProjectDeps, type RequestCtx } from './commit';
import { mapLimit, readFiles, sameEntries } from './content';

export function summarize(m: VersionManifest): VersionSummary {
  const { files, projectId: _projectId, ...rest } = m;
  const entries = Object.values(files);
  return { ...rest, fileCount: entries.length, bytes: entries.reduce((n, e) => n + e.size, 0) };
}

/** One page of a project's history, newest first: time, author, message, parent, size. */
export async function versionPage(
  deps: ProjectDeps,
  uid: string,
  projectId: string,
  page: { before?: string | undefined; limit: number },
): Promise<VersionPage> {
  await activeMeta(deps.store, uid, projectId);
  const ids = await deps.store.listVersions(uid, projectId, { limit: page.limit, ...(page.before ? { before: page.before } : {}) });
  const manifests = await mapLimit(ids.items, 16, (id) => deps.store.getManifest(uid, projectId, id));
  return { versions: manifests.filter((m): m is VersionManifest => m !== null).map(summarize), next: ids.next };
}

/** A version's files (default: the latest). */
export async function loadVersion(deps: ProjectDeps, uid: string, projectId: string, versionId?: string): Promise<ProjectSnapshot> {
  const meta = await activeMeta(deps.store, uid, projectId);
  const version = versionId ?? meta.latestVersion;
  if (!version) throw AppError.notFound(`A saved version of project ${projectId}`);
  const manifest = await deps.store.getManifest(uid, projectId, version);
  if (!manifest) throw AppError.notFound(`Version ${version} of project ${projectId}`);
  return { project: meta, version, files: await readFiles(deps.store, manifest.files) };
}

/**
 * Makes an old version the newest again, as a new version (history only ever grows). Its
 * blobs are referenced by the old manifest, so nothing is uploaded.
 */
export async function restoreVersion(deps: ProjectDeps, user: Actor, projectId: string, versionId: string, ctx: RequestCtx): Promise<ProjectSnapshot> {
  const result = await deps.lock.run(user.uid, projectId, async () => {
    const meta = await activeMeta(deps.store, user.uid, projectId);
    const old = await deps.store.getManifest(user.uid, projectId, versionId);
    if (!old) throw AppError.notFound(`Version ${versionId} of project ${projectId}`);
    const latest = meta.latestVersion ? await deps.store.getManifest(user.uid, projectId, meta.latestVersion) : null;
    // A retried restore (its answer or its audit entry was lost) answers with what it made.
    if (latest?.restoredFrom === versionId && sameEntries(latest.files, old.files)) return { project: meta, manifest: latest };
    const when = old.createdAt.slice(0, 16).replace('T', ' ');
    return commitVersion(deps, meta, user, {
      files: old.files,
      contents: new Map(),
      stored: hashesOf(old),
      fields: { message: `Restored the version of ${when} UTC`, restoredFrom: versionId },
    });
  });
  await recordDone(
    deps.audit,
    {
      action: 'project.restore_version',
      uid: user.uid,
      target: projectId,
      requestId: ctx.requestId,
      eventId: `project.restore_version:${result.manifest.id}`,
      details: { version: result.manifest.id, restoredFrom: versionId },
    },
    `Version ${versionId} was restored as version ${result.manifest.id}`,
    ctx.log,
  );
  return { project: result.project, version: result.manifest.id, files: await readFiles(deps.store, result.manifest.files) };
}
