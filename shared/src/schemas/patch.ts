import { z } from 'zod';

/**
 * Patch engine data that crosses a process boundary: the `patchpad-patch` CLI lines, the
 * conflicts fed back to a model in a repair round, and the per-file summary the worker stores.
 * The engine's in-memory types (`shared/src/patch/types.ts`) reuse these inferred types.
 */

/** Why a hunk (or a whole file) could not be applied. */
export const conflictReasonSchema = z.enum([
  'file_not_found', // modify/delete/rename of a path that is not in the file set
  'file_exists', // create (or rename target) of a path that already exists
  'removed_lines_not_found', // the hunk's `-` lines are not in the file
  'context_not_found', // the hunk removes nothing and its context is not in the file
  'ambiguous', // the hunk matches several places about equally well
  'overlapping_hunks', // two hunks of one file claim the same lines
  'no_anchor', // no context, no removed lines and no usable line number in a non-empty file
  'already_applied', // the file already contains the hunk's result
  'ambiguous_indentation', // added lines could be meant at the file's indentation or the hunk's
  'ambiguous_path', // the header names no project file, and several could be meant
]);
export type ConflictReason = z.infer<typeof conflictReasonSchema>;

/** A place in the file that nearly matched a failed hunk. */
export const conflictCandidateSchema = z.object({
  /** 1-based line number in the file as it was before the patch. */
  line: z.number().int().positive(),
  /** 0..1: share of the hunk's old lines that match there. */
  score: z.number().min(0).max(1),
  /** A few of the file's lines at that place. */
  preview: z.string(),
});
export type ConflictCandidate = z.infer<typeof conflictCandidateSchema>;

export const patchConflictSchema = z.object({
  path: z.string(),
  /** 0-based index of the hunk in this file's patch; null when the whole file failed. */
  hunkIndex: z.number().int().nonnegative().nullable(),
  reason: conflictReasonSchema,
  /** Human-readable, and written so it can be sent back to the model as a repair request. */
  message: z.string(),
  candidates: z.array(conflictCandidateSchema),
});
export type PatchConflict = z.infer<typeof patchConflictSchema>;

/** Ordered list of matching strategies, least fuzzy first (see `locate.ts`). */
export const matchStrategySchema = z.enum([
  'exact',
  'line_number', // no old lines to match: placed by the header's line number (or an empty file)
  'trailing_whitespace',
  'indentation',
  'whitespace',
  'fuzzy_context',
  'elided_context', // some file lines left out of the context (silently or with a `...` marker); the rest fit one place
]);
export type MatchStrategy = z.infer<typeof matchStrategySchema>;

export const hunkApplyInfoSchema = z.object({
  hunkIndex: z.number().int().nonnegative(),
  strategy: matchStrategySchema,
  /** 0 = exact; grows with the strategy's tolerance and the number of mismatched lines. */
  fuzz: z.number().nonnegative(),
  /** 1-based first line of the matched region in the original file. */
  oldStart: z.number().int().nonnegative(),
  /** Distance in lines between the header's line number and the place used (null: no number). */
  offset: z.number().int().nullable(),
  /** Added lines re-indented to the file's style (the hunk was written at another indentation). */
  reindented: z.number().int().positive().optional(),
  /** File lines the hunk's context left out (elided context); they were kept. */
  skipped: z.number().int().positive().optional(),
});
export type HunkApplyInfo = z.infer<typeof hunkApplyInfoSchema>;

/** How a diff header's path that named no project file was matched to one (see `resolve-path.ts`). */
export const pathResolutionSchema = z.enum([
  'normalised', // backslashes, `./`, a leading `/`
  'prefix', // a diff prefix other than a/ b/ (i/ w/, old/ new/)
  'suffix', // the project folder's name in front, or a path relative to another root
  'case', // a difference in letter case
  'content', // several files fit the path; the hunks apply to exactly one
]);
export type PathResolution = z.infer<typeof pathResolutionSchema>;

export const fileOpSchema = z.enum(['modify', 'create', 'delete', 'rename']);
export type FileOp = z.infer<typeof fileOpSchema>;

/** What the worker stores per file: the outcome without the file contents. */
export const fileApplySummarySchema = z.object({
  path: z.string(),
  oldPath: z.string().optional(),
  op: fileOpSchema,
  ok: z.boolean(),
  hunks: z.array(hunkApplyInfoSchema),
  conflicts: z.array(patchConflictSchema),
  /** Normalised unified diff of this file (clean headers, numbers against the original). */
  patch: z.string(),
});
export type FileApplySummary = z.infer<typeof fileApplySummarySchema>;

/** How one file of a patch was applied: per hunk, the strategy that placed it and the fuzz used. */
export const filePlacementSchema = z.object({
  path: z.string(),
  oldPath: z.string().optional(),
  op: fileOpSchema,
  ok: z.boolean(),
  hunks: z.array(hunkApplyInfoSchema),
  writtenPath: z.string().optional(),
  pathResolution: pathResolutionSchema.optional(),
});
export type FilePlacement = z.infer<typeof filePlacementSchema>;

/** One stdin line of `patchpad-patch apply-jsonl`. */
export const patchCliInputSchema = z.object({
  id: z.string(),
  files: z.record(z.string(), z.string()),
  patch: z.string(),
});
export type PatchCliInput = z.infer<typeof patchCliInputSchema>;

/** One stdout line of `patchpad-patch apply-jsonl`, in input order. */
export const patchCliOutputSchema = z.object({
  /** The input's id; null when the line was not JSON or had no string id. */
  id: z.string().nullable(),
  /** True only when every file's changes applied. */
  ok: z.boolean(),
  /** ok: the full resulting file set (null = deleted). Not ok: the input files, unchanged. */
  files: z.record(z.string(), z.string().nullable()),
  conflicts: z.array(patchConflictSchema).optional(),
  /** Per file (in patch order): how each hunk was placed, and how an odd header path was resolved. */
  placements: z.array(filePlacementSchema).optional(),
  /** Set when the line could not be processed at all (bad JSON, bad shape, not a diff). */
  error: z.string().optional(),
  /** The PatchError reason or 'invalid_input' / 'internal' with `error`. */
  reason: z.string().optional(),
});
export type PatchCliOutput = z.infer<typeof patchCliOutputSchema>;
