import { missingFocus, PROJECT_LIMITS, type CreateTaskBody, type ProjectFiles } from '@patchpad/shared';
import { AppError } from '../http/errors';

/** What task creation reads of a user's projects. */
export interface TaskProjectSource {
  /** The project is the user's and not in the trash. */
  exists(uid: string, projectId: string): Promise<boolean>;
  /** A saved version's files; a 404 AppError when there is no such version. */
  files(uid: string, projectId: string, version: string): Promise<ProjectFiles>;
}

/**
 * The task's full input. A request may name a saved version of one of the user's projects and
 * carry only what differs from it: the saved files, minus `deleted`, with `files` over them.
 * A project named at all must be the user's (else 404, as for every other project route).
 */
export async function resolveTaskInput(uid: string, body: CreateTaskBody, projects: TaskProjectSource): Promise<CreateTaskBody> {
  if (body.projectId !== undefined && !(await projects.exists(uid, body.projectId))) throw AppError.notFound(`Project ${body.projectId}`);
  if (body.baseVersion === undefined) return body;
  const files: ProjectFiles = { ...(await projects.files(uid, body.projectId!, body.baseVersion)) };
  for (const path of body.deleted ?? []) delete files[path];
  Object.assign(files, body.files);
  const paths = Object.keys(files);
  const bytes = paths.reduce((n, p) => n + Buffer.byteLength(files[p]!), 0);
  if (paths.length === 0) throw AppError.badRequest('The task has no files: the saved version is empty and none were sent');
  if (paths.length > PROJECT_LIMITS.maxFiles || bytes > PROJECT_LIMITS.maxTotalBytes) {
    throw new AppError(
      413,
      'payload_too_large',
      `The project with your changes has ${paths.length} files and ${bytes} bytes; a task takes at most ${PROJECT_LIMITS.maxFiles} files and ${PROJECT_LIMITS.maxTotalBytes} bytes`,
    );
  }
  const missing = missingFocus(body, files);
  if (missing.length > 0) {
    throw new AppError(400, 'invalid_request', `Invalid request body: ${missing.map((m) => `${m.key}: ${m.message}`).join('; ')}`, {
      issues: missing.map((m) => ({ path: m.key, message: m.message })),
    });
  }
  const { deleted: _deleted, ...rest } = body;
  return { ...rest, files };
}
