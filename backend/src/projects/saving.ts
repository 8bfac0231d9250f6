import { mergeFile, type MergeConflictDetails, type ProjectFiles, type ProjectMeta, type SaveProjectResponse, type VersionManifest } from '@patchpad/shared';
import { AppError } from '../http/errors';
import { recordDone } from './audit';
import { activeMeta, commitVersion, hashesOf, type Actor, type ProjectDeps, type RequestCtx } from './commit';
import { describeFiles, readFiles, sameEntries, sha256, type ManifestFiles } from './content';

export type SaveInput = { files: ProjectFiles; baseVersion?: string | undefined; message?: string | undefined; taskId?: string | undefined };

type Described = ReturnType<typeof describeFiles>;

/**
 * A save, one at a time per project (ProjectLock), in three cases:
 * - the files are exactly the latest version's and that version was saved from this base
 *   (a retried save whose answer was lost, or a save with nothing new): answer with that
 *   version, write nothing;
 * - the base is the latest version (or none was given): a new version on top of it;
 * - the base is older: merge three-way (base, these files, the latest). Clean: a new version
 *   whose answer carries what the merge changed in the client's files. Overlapping changes:
 *   409 merge_conflict, nothing written, so the client can show them to the user.
 * The audit entry is written last with an eventId per version, so a retry after a failed
 * audit write completes it without a second entry.
 */
export async function saveProject(deps: ProjectDeps, user: Actor, projectId: string, input: SaveInput, ctx: RequestCtx): Promise<SaveProjectResponse> {
  const response = await deps.lock.run(user.uid, projectId, () => saveLocked(deps, user, projectId, input));
  const details = {
    version: response.version,
    ...(response.replayed ? { replayed: true } : {}),
    ...(response.merge ? { mergedOnto: response.merge.onto } : {}),
  };
  await recordDone(
    deps.audit,
    { action: 'project.save', uid: user.uid, target: projectId, requestId: ctx.requestId, eventId: `project.save:${response.version}`, details },
    `The save was stored as version ${response.version}`,
    ctx.log,
  );
  return response;
}

async function saveLocked(deps: ProjectDeps, user: Actor, projectId: string, input: SaveInput): Promise<SaveProjectResponse> {
  const meta = await activeMeta(deps.store, user.uid, projectId);
  const mine = describeFiles(input.files);
  const latest = meta.latestVersion ? await deps.store.getManifest(user.uid, projectId, meta.latestVersion) : null;
  const base = input.baseVersion;
  if (latest && sameEntries(latest.files, mine.entries) && (base === undefined || [latest.id, latest.parent, latest.mergeBase].includes(base))) {
    return { project: meta, version: latest.id, replayed: true };
  }
  if (latest && base !== undefined && base !== latest.id) return mergeAndSave(deps, user, meta, latest, base, input, mine);
  const { project, manifest } = await commitVersion(deps, meta, user, {
    files: mine.entries,
    contents: mine.contents,
    stored: hashesOf(latest),
    fields: { message: input.message || undefined, taskId: input.taskId },
  });
  return { project, version: manifest.id };
}

async function mergeAndSave(
  deps: ProjectDeps,
  user: Actor,
  meta: ProjectMeta,
  latest: VersionManifest,
  baseId: string,
  input: SaveInput,
  mine: Described,
): Promise<SaveProjectResponse> {
  const baseManifest = await deps.store.getManifest(user.uid, meta.id, baseId);
  if (!baseManifest) {
    // The client still has its base's files: it can merge against the latest itself.
    const details: MergeConflictDetails = { latestVersion: latest.id, conflicts: [] };
    throw new AppError(
      409,
      'merge_conflict',
      `Version ${baseId} is not a version of this project, so the server cannot merge this save; merge it with ${latest.id}`,
      details,
    );
  }
  const merged = await mergeManifests(deps, baseManifest, latest, mine, input.files);
  if (merged.conflicts.length > 0) {
    const details: MergeConflictDetails = { latestVersion: latest.id, conflicts: merged.conflicts };
    throw new AppError(
      409,
      'merge_conflict',
      `The project changed since version ${baseId} (now ${latest.id}) in the same lines as this save: ${merged.conflicts.join(', ')}. Nothing was saved; resolve and save again.`,
      details,
    );
  }
  const changed = await changedForClient(deps, latest, merged, mine.entries);
  if (sameEntries(merged.files, latest.files)) {
    return { project: meta, version: latest.id, replayed: true, merge: { base: baseId, onto: latest.id, files: changed } };
  }
  const { project, manifest } = await commitVersion(deps, meta, user, {
    files: merged.files,
    contents: merged.contents,
    stored: hashesOf(latest),
    fields: { message: input.message || undefined, taskId: input.taskId, mergeBase: baseId },
  });
  return { project, version: manifest.id, merge: { base: baseId, onto: latest.id, files: changed } };
}

type ManifestMerge = { files: ManifestFiles; contents: Map<string, string>; conflicts: string[]; texts: Map<string, string> };

/**
 * Merges by hash where one side left a file alone (no reads), and by content (reading the
 * base's and the latest's text) only where both changed it.
 */
async function mergeManifests(
  deps: ProjectDeps,
  base: VersionManifest,
  latest: VersionManifest,
  mine: Described,
  mineFiles: ProjectFiles,
): Promise<ManifestMerge> {
  const files: ManifestFiles = {};
  const contents = new Map(mine.contents);
  const texts = new Map<string, string>();
  const both: string[] = [];
  const paths = new Set([...Object.keys(base.files), ...Object.keys(latest.files), ...Object.keys(mine.entries)]);
  for (const path of paths) {
    const [b, m, t] = [base.files[path], mine.entries[path], latest.files[path]];
    const [hb, hm, ht] = [b?.sha256, m?.sha256, t?.sha256];
    const take = hm === ht || ht === hb ? m : hm === hb ? t : null;
    if (take === null) both.push(path);
    else if (take !== undefined) files[path] = take;
  }
  const baseTexts = await readFiles(
    deps.store,
    base.files,
    both.filter((p) => base.files[p]),
  );
  const theirTexts = await readFiles(
    deps.store,
    latest.files,
    both.filter((p) => latest.files[p]),
  );
  const conflicts: string[] = [];
  for (const path of both.sort()) {
    const r = mergeFile(baseTexts[path] ?? null, mineFiles[path] ?? null, theirTexts[path] ?? null);
    if ('conflict' in r) conflicts.push(path);
    else if (r.content !== null) {
      const hash = sha256(r.content);
      files[path] = { sha256: hash, size: Buffer.byteLength(r.content) };
      contents.set(hash, r.content);
      texts.set(path, r.content);
    }
  }
  return { files, contents, conflicts, texts };
}

/** Every path whose merged content differs from what the client sent (null: deleted), for the client to take in. */
async function changedForClient(
  deps: ProjectDeps,
  latest: VersionManifest,
  merged: ManifestMerge,
  sent: ManifestFiles,
): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  const fromLatest: string[] = [];
  for (const path of new Set([...Object.keys(merged.files), ...Object.keys(sent)])) {
    const entry = merged.files[path];
    if (!entry) out[path] = null;
    else if (sent[path]?.sha256 !== entry.sha256) {
      const text = merged.texts.get(path);
      if (text !== undefined) out[path] = text;
      else fromLatest.push(path);
    }
  }
  Object.assign(out, await readFiles(deps.store, latest.files, fromLatest));
  return out;
}
