/**
 * Patchpad patch engine: pure functions, no I/O.
 *
 *   extractDiff(answer) → parsePatch(text) → applyPatch(files, patch) → results[i].patch
 *   splitHunks / selectHunks / applyHunks for per-hunk review; createPatch for A→B diffs.
 */
export { applyPatch, applyHunksToText, resolvePath } from './apply.js';
export type { FileSet, TextApplyResult } from './apply.js';
export { createFilePatch, createPatch } from './diff.js';
export type { CreatePatchOptions } from './diff.js';
export { PatchError, isPatchError } from './errors.js';
export type { PatchErrorReason } from './errors.js';
export { extractDiff } from './extract.js';
export { formatFilePatch, formatHunk, formatPatch } from './format.js';
export { applyHunks, selectHunks, splitHunks } from './hunks.js';
export { MATCH_STRATEGIES } from './locate.js';
export { ADD, diffLines, EQUAL, REMOVE } from './myers.js';
export type { DiffOp } from './myers.js';
export { parsePatch } from './parse.js';
export type { ParseOptions } from './parse.js';
export type * from './types.js';
