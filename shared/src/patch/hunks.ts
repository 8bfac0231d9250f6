import { applyHunksToText } from './apply.js';
import { PatchError } from './errors.js';
import { formatFilePatch, hunkCounts } from './format.js';
import { parsePatch } from './parse.js';
import type { ApplyOptions, FilePatch, Hunk, PatchConflict } from './types.js';

/**
 * Per-hunk review: split a file's patch into hunks, keep the accepted ones, and re-apply them
 * to a buffer the user may have edited since (hunks are found by content, so edits elsewhere
 * in the buffer do not matter).
 */

const HEADERLESS_PATH = 'file';

function singleFile(filePatch: string): FilePatch {
  const set = parsePatch(filePatch, { defaultPath: HEADERLESS_PATH });
  if (set.files.length !== 1) throw PatchError.multipleFiles(set.files.length);
  return set.files[0]!;
}

/** Header numbers of hunks applied on their own / as a subset: new starts follow the old ones. */
function renumber(hunks: readonly Hunk[]): Hunk[] {
  let delta = 0;
  return [...hunks]
    .sort((a, b) => (a.oldStart ?? 0) - (b.oldStart ?? 0))
    .map((h) => {
      if (h.oldStart === null) return { ...h, newStart: null };
      const { oldCount, newCount } = hunkCounts(h);
      const begin = (oldCount === 0 ? h.oldStart : h.oldStart - 1) + delta;
      delta += newCount - oldCount;
      return { ...h, newStart: newCount === 0 ? begin : begin + 1 };
    });
}

function checkIndices(f: FilePatch, accepted: readonly number[]): number[] {
  for (const i of accepted) {
    if (!Number.isInteger(i) || i < 0 || i >= f.hunks.length) {
      throw new RangeError(`hunk index ${i} is out of range: the patch has ${f.hunks.length} hunks`);
    }
  }
  return [...new Set(accepted)].sort((a, b) => a - b);
}

/** One self-contained single-hunk diff per hunk (each applies to the original file on its own). */
export function splitHunks(filePatch: string): string[] {
  const f = singleFile(filePatch);
  return f.hunks.map((h) => formatFilePatch({ ...f, hunks: renumber([h]) }));
}

/** The file's patch reduced to the accepted hunks (indices into its hunks), renumbered. */
export function selectHunks(filePatch: string, accepted: readonly number[]): string {
  const f = singleFile(filePatch);
  const keep = checkIndices(f, accepted);
  if (keep.length === 0) return '';
  return formatFilePatch({ ...f, hunks: renumber(keep.map((i) => f.hunks[i]!)) });
}

/**
 * Applies the accepted hunks of a file's patch to `content` (e.g. an editor buffer edited since
 * the patch was made). All or nothing: on conflict `content` is returned unchanged and each
 * conflict's `hunkIndex` is the hunk's index in `filePatch`.
 */
export function applyHunks(
  content: string,
  filePatch: string,
  accepted: readonly number[],
  options: ApplyOptions = {},
): { ok: boolean; content: string; conflicts: PatchConflict[] } {
  const f = singleFile(filePatch);
  const keep = checkIndices(f, accepted);
  const path = f.newPath ?? f.oldPath ?? HEADERLESS_PATH;
  const r = applyHunksToText(
    content,
    keep.map((i) => f.hunks[i]!),
    path,
    options,
  );
  const conflicts = r.conflicts.map((c) => ({ ...c, hunkIndex: c.hunkIndex === null ? null : keep[c.hunkIndex]! }));
  return { ok: r.ok, content: r.text, conflicts };
}
