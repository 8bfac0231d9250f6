import type {
  AdminAuditPage,
  AdminAuditQuery,
  AdminHealth,
  AdminModel,
  AdminTaskDetail,
  AdminTaskPage,
  AdminUsage,
  AdminUser,
  AdminUserPage,
  AdminUserPatch,
  AdminUserQuery,
  AuditVerifyResult,
  CreateModelBody,
  ModelTestResult,
  PatchModelBody,
  UsageRange,
} from '@patchpad/shared';
import type { Api } from './client';

/** Filters of the audit log as the page holds them (every field optional, no paging). */
export type AuditFilter = Partial<Omit<AdminAuditQuery, 'cursor' | 'limit'>>;

/** A query string of the set fields only, so an empty filter asks for everything. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The admin routes, typed: every URL of /api/admin lives here. */
export function adminApi(api: Api) {
  const user = (uid: string) => `/api/admin/users/${encodeURIComponent(uid)}`;
  const model = (id: string) => `/api/admin/models/${encodeURIComponent(id)}`;
  return {
    users: (query: Partial<AdminUserQuery>) => api.get<AdminUserPage>(`/api/admin/users${queryString(query)}`),
    patchUser: async (uid: string, patch: AdminUserPatch) => (await api.patch<{ user: AdminUser }>(user(uid), patch)).user,
    resetUsage: async (uid: string) => (await api.post<{ user: AdminUser }>(`${user(uid)}/reset-usage`, {})).user,

    usage: (range: UsageRange) => api.get<AdminUsage>(`/api/admin/usage?range=${range}`),

    audit: (filter: AuditFilter, cursor?: string, limit = 50) => api.get<AdminAuditPage>(`/api/admin/audit${queryString({ ...filter, cursor, limit })}`),
    verifyAudit: () => api.get<AuditVerifyResult>('/api/admin/audit/verify'),
    exportAudit: (filter: AuditFilter, format: 'csv' | 'json') => api.downloadNamed(`/api/admin/audit/export${queryString({ ...filter, format })}`),

    health: () => api.get<AdminHealth>('/api/admin/health'),

    tasks: (status: 'live' | 'recent', cursor?: string, limit = 50) => api.get<AdminTaskPage>(`/api/admin/tasks${queryString({ status, cursor, limit })}`),
    task: async (uid: string, id: string) =>
      (await api.get<{ task: AdminTaskDetail }>(`/api/admin/tasks/${encodeURIComponent(uid)}/${encodeURIComponent(id)}`)).task,

    models: async () => (await api.get<{ models: AdminModel[] }>('/api/admin/models')).models,
    createModel: async (body: CreateModelBody) => (await api.post<{ model: AdminModel }>('/api/admin/models', body)).model,
    patchModel: async (id: string, body: PatchModelBody) => (await api.patch<{ model: AdminModel }>(model(id), body)).model,
    setModelActive: async (id: string, active: boolean) =>
      (await api.post<{ model: AdminModel }>(`${model(id)}/${active ? 'activate' : 'deactivate'}`, {})).model,
    deleteModel: (id: string) => api.del<void>(model(id)),
    testModel: (id: string) => api.post<ModelTestResult>(`${model(id)}/test`, {}),
  };
}
export type AdminApi = ReturnType<typeof adminApi>;
