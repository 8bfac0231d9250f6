import { z } from 'zod';
import { TEMPLATE_IDS } from '../project/templates';

/**
 * A project-relative POSIX path: no leading slash, no `.`/`..` segments, no backslashes
 * or control characters. Every path that reaches storage or the model goes through this.
 */
export const projectPathSchema = z
  .string()
  .min(1, 'a path must not be empty')
  .max(300, 'a path may be at most 300 characters')
  .refine((p) => !p.startsWith('/'), 'a path must be relative (no leading "/")')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  .refine((p) => !/[\\\u0000-\u001f]/.test(p), 'a path must not contain backslashes or control characters')
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), 'a path must not contain empty, "." or ".." segments')
  // As an object key it would set the prototype instead of adding a file: the file would vanish.
  .refine((p) => p !== '__proto__', '"__proto__" cannot be a file name here (it is reserved in JavaScript objects)');

export const PROJECT_LIMITS = { maxFiles: 500, maxFileBytes: 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 } as const;

/**
 * A `{path: content}` record. zod passes over an own "__proto__" key without a word (the
 * parsed record simply lacks it): refuse it instead, so that no file silently disappears.
 */
export function pathRecord<V extends z.ZodType>(value: V) {
  return z
    .unknown()
    .refine(
      (v) => !(typeof v === 'object' && v !== null && Object.hasOwn(v, '__proto__')),
      '"__proto__" cannot be a file name here (it is reserved in JavaScript objects)',
    )
    .pipe(z.record(projectPathSchema, value));
}

export const projectFilesSchema = pathRecord(z.string().max(PROJECT_LIMITS.maxFileBytes, `a file may hold at most ${PROJECT_LIMITS.maxFileBytes} characters`))
  .refine((f) => Object.keys(f).length <= PROJECT_LIMITS.maxFiles, `a project may hold at most ${PROJECT_LIMITS.maxFiles} files`)
  .refine((f) => byteLength(f) <= PROJECT_LIMITS.maxTotalBytes, `a project may hold at most ${PROJECT_LIMITS.maxTotalBytes} bytes in all`);
export type ProjectFiles = z.infer<typeof projectFilesSchema>;

export const projectIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a project id is 1-64 letters, digits, "_" or "-"');

export const projectNameSchema = z.string().trim().min(1, 'a name must not be empty').max(120);

export const versionIdSchema = z.string().regex(/^[\w-]{1,120}$/, 'a version id is 1-120 letters, digits, "_" or "-"');

export const templateIdSchema = z.enum(TEMPLATE_IDS, { error: `template must be one of: ${TEMPLATE_IDS.join(', ')}` });

export const createProjectBodySchema = z
  .object({ name: projectNameSchema, files: projectFilesSchema.optional(), template: templateIdSchema.optional() })
  .strict()
  .refine((b) => !(b.files && b.template), { message: 'give either files or a template, not both', path: ['template'] });
export type CreateProjectBody = z.infer<typeof createProjectBodySchema>;

export const saveProjectBodySchema = z
  .object({
    files: projectFilesSchema,
    /** The version the client edited. A stale base is merged three-way with the newer version; omitted = overwrite. */
    baseVersion: versionIdSchema.optional(),
    message: z.string().trim().max(500).optional(),
    /** The assistant task whose accepted hunks this save holds (its summary is the message). */
    taskId: z.string().uuid('taskId must be a task id (a UUID)').optional(),
  })
  .strict();
export type SaveProjectBody = z.infer<typeof saveProjectBodySchema>;

export const renameProjectBodySchema = z.object({ name: projectNameSchema }).strict();
export const duplicateProjectBodySchema = z.object({ name: projectNameSchema.optional() }).strict();

export const versionPageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1, 'limit is at least 1').max(100, 'limit is at most 100').default(30),
    before: versionIdSchema.optional(),
  })
  .strict();

export const authorSchema = z.object({ uid: z.string(), email: z.string().nullable().optional() });

export const manifestEntrySchema = z.object({ sha256: z.string().regex(/^[a-f0-9]{64}$/), size: z.number().int().min(0) });
export const versionManifestSchema = z.object({
  id: z.string(),
  projectId: projectIdSchema,
  createdAt: z.string(),
  message: z.string().optional(),
  /** The version this one was saved on top of (the latest at the time). */
  parent: z.string().optional(),
  /** When a stale save was merged: the version the client had edited. */
  mergeBase: z.string().optional(),
  restoredFrom: z.string().optional(),
  author: authorSchema.optional(),
  taskId: z.string().optional(),
  files: z.record(projectPathSchema, manifestEntrySchema),
});
export type VersionManifest = z.infer<typeof versionManifestSchema>;

/** Days a deleted project stays in the trash before it is purged for good. */
export const TRASH_RETENTION_DAYS = 30;

export const projectMetaSchema = z.object({
  id: projectIdSchema,
  uid: z.string(),
  name: projectNameSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  latestVersion: z.string().optional(),
  template: z.string().optional(),
  /** Set while the project is in the trash. */
  deletedAt: z.string().optional(),
});
export type ProjectMeta = z.infer<typeof projectMetaSchema>;

export type ProjectSnapshot = { project: ProjectMeta; version: string; files: ProjectFiles };
export type VersionSummary = Omit<VersionManifest, 'files' | 'projectId'> & { fileCount: number; bytes: number };
export type VersionPage = { versions: VersionSummary[]; /** Pass as `before` for the next (older) page. */ next: string | null };
export type TrashedProject = ProjectMeta & { deletedAt: string; purgeAt: string };

/**
 * A save's answer. `replayed`: the same save had already been stored (a retry), this is that
 * version. `merge`: the base was stale and the save was merged with `onto`; `files` holds
 * every path whose merged content differs from what was sent (null = deleted).
 */
export type SaveProjectResponse = {
  project: ProjectMeta;
  version: string;
  replayed?: true;
  merge?: { base: string; onto: string; files: Record<string, string | null> };
};

/** `details` of a 409 `merge_conflict`: the save was not stored; merge against latestVersion. */
export type MergeConflictDetails = { latestVersion: string; conflicts: string[] };

const encoder = new TextEncoder();
/** UTF-8 size of all files (runs in the browser too, so no Buffer). */
function byteLength(files: Record<string, string>): number {
  let n = 0;
  for (const c of Object.values(files)) n += encoder.encode(c).length;
  return n;
}
