import { z } from 'zod';

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

export const createProjectBodySchema = z.object({ name: projectNameSchema, files: projectFilesSchema.optional() }).strict();
export type CreateProjectBody = z.infer<typeof createProjectBodySchema>;

export const saveProjectBodySchema = z
  .object({
    files: projectFilesSchema,
    /** The version the client edited; a save from a stale base is refused (409) unless omitted. */
    baseVersion: z.string().max(120).optional(),
    message: z.string().max(500).optional(),
  })
  .strict();
export type SaveProjectBody = z.infer<typeof saveProjectBodySchema>;

export const manifestEntrySchema = z.object({ sha256: z.string().regex(/^[a-f0-9]{64}$/), size: z.number().int().min(0) });
export const versionManifestSchema = z.object({
  id: z.string(),
  projectId: projectIdSchema,
  createdAt: z.string(),
  message: z.string().optional(),
  files: z.record(projectPathSchema, manifestEntrySchema),
});
export type VersionManifest = z.infer<typeof versionManifestSchema>;

export const projectMetaSchema = z.object({
  id: projectIdSchema,
  uid: z.string(),
  name: projectNameSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  latestVersion: z.string().optional(),
});
export type ProjectMeta = z.infer<typeof projectMetaSchema>;

export type ProjectSnapshot = { project: ProjectMeta; version: string; files: ProjectFiles };
export type VersionSummary = { id: string; createdAt: string; message?: string; fileCount: number; bytes: number };

const encoder = new TextEncoder();
/** UTF-8 size of all files (runs in the browser too, so no Buffer). */
function byteLength(files: Record<string, string>): number {
  let n = 0;
  for (const c of Object.values(files)) n += encoder.encode(c).length;
  return n;
}
