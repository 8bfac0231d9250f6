import { z } from 'zod';
import { fileOpSchema, hunkApplyInfoSchema, pathResolutionSchema } from './patch';
import { pathRecord, PROJECT_LIMITS, projectPathSchema } from './project';

/** What the assistant is asked to do; each mode has its own prompt and result shape. */
export const taskModeSchema = z.enum(['patch', 'explain', 'generate_test', 'lint_fix']);
export type TaskMode = z.infer<typeof taskModeSchema>;

export const taskStatusSchema = z.enum(['queued', 'processing', 'done', 'failed', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'cancelled'];

export const cursorSchema = z.object({
  path: projectPathSchema,
  line: z.number().int().min(1),
  column: z.number().int().min(1),
});

export const selectionSchema = z.object({
  path: projectPathSchema,
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
  text: z.string().max(200_000),
});

/** Limits that keep one request from flooding the queue or the model's context. */
export const TASK_LIMITS = {
  maxFiles: 200,
  maxFileBytes: 512 * 1024,
  maxTotalBytes: 2 * 1024 * 1024,
  maxPromptChars: 8_000,
} as const;

export const createTaskBodySchema = z
  .object({
    prompt: z.string().trim().min(1, 'prompt must not be empty').max(TASK_LIMITS.maxPromptChars),
    mode: taskModeSchema.default('patch'),
    projectId: z.string().min(1).max(64).optional(),
    /**
     * A saved version of `projectId` the task starts from: then `files` carries only what
     * differs from it (and `deleted` what was removed), and the API fills in the rest.
     */
    baseVersion: z
      .string()
      .regex(/^[\w-]{1,120}$/, 'a version id is letters, digits, "_" or "-"')
      .optional(),
    deleted: z.array(projectPathSchema).max(PROJECT_LIMITS.maxFiles).optional(),
    files: pathRecord(z.string().max(TASK_LIMITS.maxFileBytes, `a file may hold at most ${TASK_LIMITS.maxFileBytes} characters`))
      .refine((f) => Object.keys(f).length <= TASK_LIMITS.maxFiles, `at most ${TASK_LIMITS.maxFiles} files`)
      .refine(
        (f) => Object.values(f).reduce((n, c) => n + c.length, 0) <= TASK_LIMITS.maxTotalBytes,
        `files may hold at most ${TASK_LIMITS.maxTotalBytes} characters in all`,
      ),
    activePath: projectPathSchema.optional(),
    cursor: cursorSchema.optional(),
    selection: selectionSchema.optional(),
    model: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.baseVersion !== undefined && body.projectId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseVersion'], message: 'baseVersion needs the projectId it is a version of' });
    }
    if (body.deleted !== undefined && body.baseVersion === undefined) {
      ctx.addIssue({ code: 'custom', path: ['deleted'], message: 'deleted only means something with a baseVersion' });
    }
    // With a base version, the full file set is known only once the API has read it.
    if (body.baseVersion !== undefined) return;
    if (Object.keys(body.files).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['files'],
        message: 'files must contain at least one file (or name a saved version with projectId and baseVersion)',
      });
    }
    for (const issue of missingFocus(body, body.files)) ctx.addIssue({ code: 'custom', path: [issue.key], message: issue.message });
  });

/** activePath, cursor or selection naming a file that is not in `files`. */
export function missingFocus(
  body: Pick<CreateTaskBody, 'activePath' | 'cursor' | 'selection'>,
  files: Record<string, string>,
): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  for (const key of ['activePath', 'cursor', 'selection'] as const) {
    const path = key === 'activePath' ? body.activePath : body[key]?.path;
    if (path !== undefined && !(path in files)) out.push({ key, message: `${key} names "${path}", which is not in files` });
  }
  return out;
}
export type CreateTaskBody = z.infer<typeof createTaskBodySchema>;
export type TaskInput = CreateTaskBody;

export const patchedFileSchema = z.object({
  path: projectPathSchema,
  /** Unified diff for this file, normalised by the patch engine against the input files. */
  patch: z.string(),
  op: fileOpSchema.default('modify'),
  oldPath: projectPathSchema.optional(),
  /**
   * How each hunk of `patch` was placed, in the order of `patch`'s hunks (`hunkIndex` is the
   * hunk's index in the model's own diff). Absent in records written before it existed.
   */
  hunks: z.array(hunkApplyInfoSchema).optional(),
  /** The path the model's header wrote, when it named the file differently. */
  writtenPath: z.string().optional(),
  /** How that written path was resolved to `path`. */
  pathResolution: pathResolutionSchema.optional(),
});
export type PatchedFile = z.infer<typeof patchedFileSchema>;

/** One compiler error the patch introduced (1-based line and column in the patched file). */
export const typeCheckErrorSchema = z.object({
  path: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  /** TypeScript's error code, e.g. 2322. */
  code: z.number().int(),
  message: z.string(),
});
export type TypeCheckError = z.infer<typeof typeCheckErrorSchema>;

/**
 * The type-check of the patched project, run before review. `new_errors` lists only errors
 * the patch introduced; errors the project had before do not count.
 */
export const typeCheckSchema = z.object({
  status: z.enum(['passed', 'new_errors', 'skipped']),
  errors: z.array(typeCheckErrorSchema),
  /** Why it was skipped (no TypeScript files, timed out, ...). */
  reason: z.string().optional(),
  ms: z.number().min(0),
});
export type TypeCheck = z.infer<typeof typeCheckSchema>;

export const taskResultSchema = z.object({
  filesModified: z.array(patchedFileSchema),
  explanation: z.string(),
  /** Absent for modes without a diff and in records written before it existed. */
  check: typeCheckSchema.optional(),
});
export type TaskResult = z.infer<typeof taskResultSchema>;

/** What the prompt left out to fit the model's context window (absent: everything fitted). */
export const contextReportSchema = z.object({
  /** Tokens the prompt could use (context window minus the answer's reserve). */
  budgetTokens: z.number().int().min(0),
  usedTokens: z.number().int().min(0),
  /** Files not shown at all. */
  omitted: z.array(z.string()),
  /** Files shown in part, with a marker where text was cut. */
  truncated: z.array(z.string()),
});
export type ContextReport = z.infer<typeof contextReportSchema>;

export const taskMetricsSchema = z.object({
  tokensIn: z.number().int().min(0).default(0),
  tokensOut: z.number().int().min(0).default(0),
  provider: z.string().optional(),
  model: z.string().optional(),
  durationMs: z.number().min(0).optional(),
  attempts: z.number().int().min(0).default(0),
  /**
   * Where the task's time went, in ms: `queue` (created → a worker took it), `claim` (reading
   * it and marking it processing), `prompt`, `model` (every model call, repairs included),
   * `validate` (placing the diff), and whatever later steps add.
   */
  phases: z.record(z.string(), z.number().min(0)).optional(),
  context: contextReportSchema.optional(),
});
export type TaskMetrics = z.infer<typeof taskMetricsSchema>;

export const taskErrorSchema = z.object({ code: z.string(), message: z.string() });
export type TaskError = z.infer<typeof taskErrorSchema>;

export const hunkDecisionSchema = z.enum(['accepted', 'rejected']);
export const fileDecisionSchema = z.object({
  path: projectPathSchema,
  hunks: z.array(hunkDecisionSchema),
});
export const taskDecisionBodySchema = z.object({ files: z.array(fileDecisionSchema).min(1) }).strict();
export type TaskDecisionBody = z.infer<typeof taskDecisionBodySchema>;

export const taskRecordSchema = z.object({
  id: z.string(),
  uid: z.string(),
  status: taskStatusSchema,
  input: z.custom<TaskInput>(),
  result: taskResultSchema.optional(),
  error: taskErrorSchema.optional(),
  metrics: taskMetricsSchema,
  decisions: z.array(fileDecisionSchema).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;

/**
 * What the API shows a client, and what Redis keeps as the task's record: the task without
 * its (possibly large) input files, which live apart and expire sooner.
 */
export type TaskView = Omit<TaskRecord, 'input'> & {
  input: Omit<TaskInput, 'files'> & { paths: string[] };
};

export function toTaskView(record: TaskRecord): TaskView {
  const { files, ...rest } = record.input;
  return { ...record, input: { ...rest, paths: Object.keys(files) } };
}

export const progressPhaseSchema = z.enum(['building_prompt', 'calling_model', 'validating', 'repairing']);
export type ProgressPhase = z.infer<typeof progressPhaseSchema>;

/** Streamed task events, a union on `type`; each event's Redis stream id is its SSE id. */
export const taskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: taskStatusSchema }),
  z.object({ type: z.literal('progress'), phase: progressPhaseSchema, attempt: z.number().int().min(1).optional() }),
  z.object({ type: z.literal('token'), text: z.string() }),
  z.object({ type: z.literal('result'), result: taskResultSchema, metrics: taskMetricsSchema }),
  z.object({ type: z.literal('error'), error: taskErrorSchema }),
]);
export type TaskEvent = z.infer<typeof taskEventSchema>;

/** The BullMQ queue between API and worker, and what one job carries (the record holds the rest). */
export const AGENT_TASK_QUEUE = 'agent-tasks';
export const agentJobSchema = z.object({ uid: z.string().min(1), taskId: z.string().min(1) });
export type AgentJob = z.infer<typeof agentJobSchema>;
