import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { mergeProjectFiles, type MergeConflictDetails, type ProjectFiles, type ProjectMerge, type ProjectMeta } from '@patchpad/shared';
import { ApiError } from '../api/client';
import type { ProjectsApi } from '../api/projects';
import { afterSaved, dirtyPaths } from './sync';

/** A save the server could not merge: both sides changed the same lines. */
export type Conflict = { theirsVersion: string; theirs: ProjectFiles; merge: ProjectMerge };

export type SessionState = {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  project: ProjectMeta | null;
  /** The editor buffers. */
  files: ProjectFiles;
  /** What `version` holds: the base of the next save and of the unsaved markers. */
  base: ProjectFiles;
  version: string | null;
  saving: boolean;
  saveError: string | null;
  /** The last failure may pass on a later try (network, 5xx); a 4xx waits for the next edit. */
  saveRetryable: boolean;
  /** Edits so far, and the count when the last save failed: a refused save is not retried unedited. */
  edits: number;
  failedAt: number;
  conflict: Conflict | null;
};

const AUTOSAVE_MS = 1500;
const initial: SessionState = {
  status: 'loading',
  error: null,
  project: null,
  files: {},
  base: {},
  version: null,
  saving: false,
  saveError: null,
  saveRetryable: false,
  edits: 0,
  failedAt: -1,
  conflict: null,
};

/**
 * One open project: load, edit, save (one at a time; autosaved shortly after typing stops).
 * A save from a stale base is merged by the server; if it cannot be, the newer version is
 * fetched and merged here, and the clashing files go to the user (`conflict`) with both sides
 * kept until they choose.
 */
export function useProjectSession(api: ProjectsApi, projectId: string) {
  const [state, setState] = useState<SessionState>(initial);
  const ref = useRef(state);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  /**
   * Every change goes through here: applied to `ref` at once (a save right after an edit
   * sends the edit) and queued for React in the same order, so both always agree.
   */
  const update = useCallback((fn: (s: SessionState) => SessionState) => {
    ref.current = fn(ref.current);
    setState(fn);
  }, []);

  useEffect(() => {
    let cancelled = false;
    update(() => initial);
    api
      .load(projectId)
      .then((s) => !cancelled && update(() => ({ ...initial, status: 'ready', project: s.project, files: s.files, base: s.files, version: s.version })))
      .catch((err: Error) => !cancelled && update(() => ({ ...initial, status: 'error', error: err.message })));
    return () => {
      cancelled = true;
    };
  }, [api, projectId, update]);

  const edit = useCallback((change: (files: ProjectFiles) => ProjectFiles) => update((s) => ({ ...s, files: change(s.files), edits: s.edits + 1 })), [update]);

  const saveNow = useCallback(
    async (options: { message?: string; taskId?: string } = {}): Promise<string | null> => {
      const s = ref.current;
      if (!s.project || s.conflict) return s.version;
      const sent = s.files;
      update((x) => ({ ...x, saving: true, saveError: null }));
      try {
        const body = { files: sent, ...(s.version ? { baseVersion: s.version } : {}), ...options };
        const r = await api.save(s.project.id, body);
        update((x) => ({ ...x, ...afterSaved(sent, x.files, r.merge?.files), version: r.version, project: r.project, saving: false }));
        return r.version;
      } catch (err) {
        if (err instanceof ApiError && err.code === 'merge_conflict') return await takeConflict(err.details as MergeConflictDetails);
        const retryable = !(err instanceof ApiError) || err.status >= 500 || err.status === 429;
        update((x) => ({ ...x, saving: false, saveError: (err as Error).message, saveRetryable: retryable, failedAt: s.edits }));
        return null;
      }
    },
    [api, update],
  );

  /** The server could not merge: fetch the newer version and merge here, showing what clashes. */
  const takeConflict = async (details: MergeConflictDetails): Promise<string | null> => {
    const s = ref.current;
    const theirs = await api.load(s.project!.id, details.latestVersion);
    const merge = mergeProjectFiles(s.base, s.files, theirs.files);
    if (merge.conflicts.length === 0) {
      // What clashed on the server no longer does (the buffers moved on): save the merge.
      update((x) => ({ ...x, saving: false, base: theirs.files, version: theirs.version, files: mergeProjectFiles(s.base, x.files, theirs.files).files }));
      return saveNow();
    }
    update((x) => ({ ...x, saving: false, conflict: { theirsVersion: theirs.version, theirs: theirs.files, merge } }));
    return null;
  };

  /** Saves are queued: each starts from what the previous one left. */
  const save = useCallback(
    (options?: { message?: string; taskId?: string }) => {
      const next = chain.current.then(() => saveNow(options));
      chain.current = next.catch(() => undefined);
      return next;
    },
    [saveNow],
  );

  /** The user settled every clash: `files` becomes the edit on top of the newer version. */
  const resolve = useCallback(
    (files: ProjectFiles) => {
      const conflict = ref.current.conflict;
      if (!conflict) return;
      update((x) => ({ ...x, conflict: null, base: conflict.theirs, version: conflict.theirsVersion, files }));
      void save({ message: 'Merged after a conflict' });
    },
    [save, update],
  );

  const dirty = useMemo(() => dirtyPaths(state.files, state.base), [state.files, state.base]);

  // Autosave a moment after the last keystroke; retry a save that failed for a passing reason.
  useEffect(() => {
    if (state.status !== 'ready' || dirty.size === 0 || state.saving || state.conflict) return;
    if (state.saveError && !state.saveRetryable && state.failedAt === state.edits) return;
    const timer = setTimeout(() => void save(), state.saveError ? 5000 : AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [state.status, state.files, state.saving, state.conflict, state.saveError, state.saveRetryable, state.failedAt, state.edits, dirty, save]);

  // Leaving with unsaved changes asks first.
  useEffect(() => {
    if (dirty.size === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const replaceAll = useCallback(
    (snapshot: { project: ProjectMeta; version: string; files: ProjectFiles }) =>
      update((x) => ({ ...x, project: snapshot.project, version: snapshot.version, base: snapshot.files, files: snapshot.files })),
    [update],
  );

  /** The latest buffers (also between a change and the render it causes). */
  const current = useCallback(() => ref.current, []);

  return { state, current, dirty, edit, save, resolve, replaceAll };
}
export type ProjectSession = ReturnType<typeof useProjectSession>;
