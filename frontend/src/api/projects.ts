import type {
  CreateProjectBody,
  ProjectFiles,
  ProjectMeta,
  ProjectSnapshot,
  SaveProjectResponse,
  SkippedEntry,
  TrashedProject,
  VersionPage,
} from '@patchpad/shared';
import type { Api } from './client';

/** The project routes, typed: every URL of /api/projects lives here. */
export function projectsApi(api: Api) {
  const key = () => ({ 'Idempotency-Key': crypto.randomUUID() });
  const base = (id: string) => `/api/projects/${encodeURIComponent(id)}`;
  return {
    list: async () => (await api.get<{ projects: ProjectMeta[] }>('/api/projects')).projects,
    trash: async () => (await api.get<{ projects: TrashedProject[] }>('/api/projects/trash')).projects,
    create: (body: CreateProjectBody) => api.post<ProjectSnapshot>('/api/projects', body, key()),
    importZip: (name: string, zip: Blob) =>
      api.upload<ProjectSnapshot & { skipped: SkippedEntry[] }>(`/api/projects/import?name=${encodeURIComponent(name)}`, zip, {
        'Content-Type': 'application/zip',
        ...key(),
      }),
    importFiles: (name: string, files: ProjectFiles) => api.post<ProjectSnapshot & { skipped: SkippedEntry[] }>('/api/projects/import', { name, files }, key()),
    load: (id: string, version?: string) => api.get<ProjectSnapshot>(`${base(id)}${version ? `?version=${encodeURIComponent(version)}` : ''}`),
    save: (id: string, body: { files: ProjectFiles; baseVersion?: string; message?: string; taskId?: string }) =>
      api.put<SaveProjectResponse>(`${base(id)}/files`, body),
    rename: async (id: string, name: string) => (await api.patch<{ project: ProjectMeta }>(base(id), { name })).project,
    duplicate: (id: string) => api.post<ProjectSnapshot>(`${base(id)}/duplicate`, {}, key()),
    remove: async (id: string) => (await api.del<{ project: TrashedProject }>(base(id))).project,
    restore: async (id: string) => (await api.post<{ project: ProjectMeta }>(`${base(id)}/restore`, {})).project,
    purge: (id: string) => api.del<void>(`/api/projects/trash/${encodeURIComponent(id)}`),
    versions: (id: string, before?: string) => api.get<VersionPage>(`${base(id)}/versions${before ? `?before=${encodeURIComponent(before)}` : ''}`),
    restoreVersion: (id: string, version: string) => api.post<ProjectSnapshot>(`${base(id)}/versions/${encodeURIComponent(version)}/restore`, {}),
    exportZip: (id: string, version?: string) => api.download(`${base(id)}/export${version ? `?version=${encodeURIComponent(version)}` : ''}`),
  };
}
export type ProjectsApi = ReturnType<typeof projectsApi>;
