import type { FileOp, HunkApplyInfo, MatchStrategy, PatchConflict, PathResolution } from '../schemas/patch.js';

export type { ConflictCandidate, ConflictReason, FileOp, HunkApplyInfo, MatchStrategy, PatchConflict, PathResolution } from '../schemas/patch.js';

export type LineKind = 'context' | 'add' | 'remove';

/** One line of a hunk, without its prefix character and line ending. */
export interface HunkLine {
  kind: LineKind;
  text: string;
  /** Followed by `\ No newline at end of file`. */
  noEol?: true;
  /** The line ended with CRLF in the diff text (used for files that have no line ending yet). */
  crlf?: true;
}

export interface Hunk {
  /**
   * 1-based old start line from the `@@` header, or null (`@@ @@`). Only a hint: hunks are
   * located by their content.
   */
  oldStart: number | null;
  /** 1-based new start line from the header, or null. Kept for printing; never trusted. */
  newStart: number | null;
  /** Text after the closing `@@` (git's function context), without the leading space. */
  section?: string;
  lines: HunkLine[];
}

export interface FilePatch {
  op: FileOp;
  /** Path before the change; null for a created file. Normalised (no `a/`, `./`). */
  oldPath: string | null;
  /** Path after the change; null for a deleted file. */
  newPath: string | null;
  hunks: Hunk[];
  /** The rename was stated (`rename from` / `rename to`), not only implied by differing headers. */
  renameHeader?: true;
}

export interface PatchSet {
  files: FilePatch[];
}

export interface ApplyOptions {
  /**
   * Most fuzzy strategy allowed, in `MATCH_STRATEGIES` order. Default: all of them
   * ('fuzzy_context'). 'exact' makes the engine strict (content must match exactly).
   */
  maxStrategy?: MatchStrategy;
  /**
   * For tests: false turns off the shortcuts (the clean lane for well-formed diffs that match
   * exactly at their numbers, and trying each hunk exactly where its line number says first).
   * The result is the same either way; only the time differs.
   */
  fastPath?: boolean;
}

export interface FileApplyResult {
  /** The path after the change (the old path for a deletion). */
  path: string;
  oldPath?: string;
  op: FileOp;
  ok: boolean;
  /** New content (null = deleted); absent when !ok. */
  content?: string | null;
  hunks: HunkApplyInfo[];
  conflicts: PatchConflict[];
  /** This file's normalised unified diff against the original (empty when !ok). */
  patch: string;
  /** The path the diff's header wrote, when it named the file differently (see resolve-path.ts). */
  writtenPath?: string;
  /** How the written path was resolved to `path`. */
  pathResolution?: PathResolution;
}

export interface PatchApplyResult {
  /** Every file applied. */
  ok: boolean;
  /** The whole resulting set (null = deleted); files that failed are left untouched. */
  files: Record<string, string | null>;
  results: FileApplyResult[];
}
