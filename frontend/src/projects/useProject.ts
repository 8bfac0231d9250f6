import { useCallback, useEffect, useRef, useState } from 'react';
import { STARTER_PROJECT_NAME, type ProjectFiles, type ProjectMeta, type ProjectSnapshot } from '@patchpad/shared';
import type { Api } from '../api/client';

export type ProjectState = {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  project: ProjectMeta | null;
  files: ProjectFiles;
  /** What the store holds: the baseline for "unsaved" markers. */
  saved: ProjectFiles;
  version: string | null;
  saving: boolean;
};

/** Opens the user's newest project (creating the starter on first visit), edits and saves it. */
export function useProject(api: Api) {
  const [state, setState] = useState<ProjectState>({ status: 'loading', error: null, project: null, files: {}, saved: {}, version: null, saving: false });
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const { projects } = await api.get<{ projects: ProjectMeta[] }>('/api/projects');
      const snapshot = projects[0]
        ? await api.get<ProjectSnapshot>(`/api/projects/${projects[0].id}`)
        : await api.post<ProjectSnapshot>('/api/projects', { name: STARTER_PROJECT_NAME });
      if (!cancelled) {
        setState({
          status: 'ready',
          error: null,
          project: snapshot.project,
          files: snapshot.files,
          saved: snapshot.files,
          version: snapshot.version,
          saving: false,
        });
      }
    })().catch((err: Error) => !cancelled && setState((s) => ({ ...s, status: 'error', error: err.message })));
    return () => {
      cancelled = true;
    };
  }, [api]);

  const setFile = useCallback((path: string, content: string | null) => {
    setState((s) => {
      const files = { ...s.files };
      if (content === null) delete files[path];
      else files[path] = content;
      return { ...s, files };
    });
  }, []);

  const save = useCallback(
    async (files?: ProjectFiles, message?: string) => {
      const current = stateRef.current;
      if (!current.project) return;
      const toSave = files ?? current.files;
      setState((s) => ({ ...s, saving: true, error: null }));
      try {
        const body = { files: toSave, ...(current.version ? { baseVersion: current.version } : {}), ...(message ? { message } : {}) };
        const { version, project } = await api.put<{ version: string; project: ProjectMeta }>(`/api/projects/${current.project.id}/files`, body);
        setState((s) => ({ ...s, saving: false, saved: toSave, version, project }));
      } catch (err) {
        setState((s) => ({ ...s, saving: false, error: `Save failed: ${(err as Error).message}` }));
      }
    },
    [api],
  );

  const dirty = new Set([...Object.keys(state.files), ...Object.keys(state.saved)].filter((p) => state.files[p] !== state.saved[p]));
  return { state, setFile, setFiles: (files: ProjectFiles) => setState((s) => ({ ...s, files })), save, dirty };
}
