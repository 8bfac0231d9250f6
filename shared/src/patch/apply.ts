import { buildResult } from './build.js';
import * as C from './conflicts.js';
import { createFilePatch } from './diff.js';
import { formatFilePatch } from './format.js';
import { parsePatch } from './parse.js';
import { stripDotSlash } from './paths.js';
import { placeHunks } from './place.js';
import { splitText } from './text.js';
import type { ApplyOptions, FileApplyResult, FilePatch, Hunk, HunkApplyInfo, PatchApplyResult, PatchConflict, PatchSet } from './types.js';

export type FileSet = Readonly<Record<string, string | null>>;

export interface TextApplyResult {
  ok: boolean;
  /** The patched text when ok; the input text otherwise. */
  text: string;
  /** The hunks as applied (the file's own old lines, numbers against the original), built on call. */
  hunks: () => Hunk[];
  infos: HunkApplyInfo[];
  conflicts: PatchConflict[];
}

/** Applies hunks to one text, all or nothing. */
export function applyHunksToText(text: string, hunks: readonly Hunk[], path: string, options: ApplyOptions = {}): TextApplyResult {
  const t = splitText(text);
  const { placements, conflicts } = placeHunks(t, hunks, path, options.maxStrategy, options.fastPath);
  if (conflicts.length > 0) return { ok: false, text, hunks: () => [], infos: [], conflicts };
  const built = buildResult(t, hunks, placements);
  return { ok: true, text: built.text, hunks: built.hunks, infos: built.infos, conflicts: [] };
}

/** The key of `files` a patch path refers to (tolerating `./`, `/` and leftover `a/` `b/`). */
export function resolvePath(files: FileSet, path: string): string | null {
  const present = (k: string) => Object.hasOwn(files, k) && files[k] !== null;
  if (present(path)) return path;
  for (const k of Object.keys(files)) if (present(k) && stripDotSlash(k) === path) return k;
  if (/^[ab]\//.test(path) && present(path.slice(2))) return path.slice(2);
  return null;
}

/**
 * Sets `r.patch` to be formatted on first read, then kept: formatting a large file's patch
 * costs about as much as placing its hunks, and many callers only want the new content. It
 * stays an own enumerable string property, so `JSON.stringify` and spreads still include it.
 */
function lazyPatch(r: Omit<FileApplyResult, 'patch'>, format: () => string): FileApplyResult {
  const settle = (target: object, value: string) => Object.defineProperty(target, 'patch', { value, writable: true, enumerable: true, configurable: true });
  return Object.defineProperty(r, 'patch', {
    enumerable: true,
    configurable: true,
    get(this: FileApplyResult) {
      const value = format();
      settle(this, value);
      return value;
    },
    set(this: FileApplyResult, value: string) {
      settle(this, value);
    },
  }) as FileApplyResult;
}

function failed(f: FilePatch, path: string, conflicts: PatchConflict[]): FileApplyResult {
  const r: FileApplyResult = { path, op: f.op, ok: false, hunks: [], conflicts, patch: '' };
  if (f.op === 'rename' && f.oldPath !== null) r.oldPath = f.oldPath;
  return r;
}

/** A modification of a missing file whose hunks only add lines at the top is really a creation. */
function looksLikeCreation(f: FilePatch): boolean {
  return f.hunks.length > 0 && f.hunks.every((h) => (h.oldStart ?? 0) === 0 && h.lines.every((l) => l.kind === 'add'));
}

function applyCreate(files: Record<string, string | null>, f: FilePatch, path: string, options: ApplyOptions): FileApplyResult {
  const existing = resolvePath(files, path);
  if (existing !== null && files[existing] !== '') return failed(f, path, [C.fileExists(path, 'created')]);
  const r = applyHunksToText('', f.hunks, path, options);
  if (!r.ok) return failed(f, path, r.conflicts);
  files[existing ?? path] = r.text;
  const format = () => formatFilePatch(createFilePatch(existing ?? path, null, r.text));
  return lazyPatch({ path: existing ?? path, op: 'create', ok: true, content: r.text, hunks: r.infos, conflicts: [] }, format);
}

function applyDelete(files: Record<string, string | null>, f: FilePatch, key: string, options: ApplyOptions): FileApplyResult {
  const before = files[key]!;
  if (f.hunks.length > 0) {
    const r = applyHunksToText(before, f.hunks, key, options);
    if (!r.ok) return failed(f, key, r.conflicts);
    const remaining = splitText(r.text)
      .all()
      .filter((l) => l.trim() !== '').length;
    if (remaining > 0) return failed(f, key, [C.deletionIncomplete(key, remaining)]);
  }
  files[key] = null;
  return lazyPatch({ path: key, op: 'delete', ok: true, content: null, hunks: [], conflicts: [] }, () => formatFilePatch(createFilePatch(key, before, null)));
}

function applyModify(files: Record<string, string | null>, f: FilePatch, key: string, options: ApplyOptions): FileApplyResult {
  const renameTo = f.op === 'rename' ? f.newPath! : null;
  if (renameTo !== null && renameTo !== key && resolvePath(files, renameTo) !== null) {
    return failed(f, renameTo, [C.fileExists(renameTo, `the new name of ${key}`)]);
  }
  const r = applyHunksToText(files[key]!, f.hunks, key, options);
  const path = renameTo ?? key;
  if (!r.ok) return failed(f, path, r.conflicts);
  if (renameTo !== null) files[key] = null;
  files[path] = r.text;
  const format = () => formatFilePatch({ op: f.op, oldPath: key, newPath: path, hunks: r.hunks() });
  const res = lazyPatch({ path, op: f.op, ok: true, content: r.text, hunks: r.infos, conflicts: [] }, format);
  if (renameTo !== null) res.oldPath = key;
  return res;
}

function applyFile(files: Record<string, string | null>, f: FilePatch, options: ApplyOptions): FileApplyResult {
  if (f.op === 'create') return applyCreate(files, f, f.newPath!, options);
  const key = resolvePath(files, f.oldPath!);
  if (key === null) {
    if (f.op === 'modify' && looksLikeCreation(f)) return applyCreate(files, { ...f, op: 'create', oldPath: null }, f.newPath!, options);
    return failed(f, f.op === 'rename' ? f.newPath! : f.oldPath!, [C.fileNotFound(f.oldPath!)]);
  }
  if (f.op === 'delete') return applyDelete(files, f, key, options);
  return applyModify(files, f, key, options);
}

/**
 * Applies a (multi-file) patch to a file set. Each file applies all or nothing; files are
 * processed in patch order, each seeing the result of the previous ones. `files` in the
 * result is the whole set: changed files, untouched ones, null for deleted ones.
 */
export function applyPatch(files: FileSet, patch: string | PatchSet, options: ApplyOptions = {}): PatchApplyResult {
  const set = typeof patch === 'string' ? parsePatch(patch) : patch;
  const out: Record<string, string | null> = { ...files };
  const results = set.files.map((f) => applyFile(out, f, options));
  return { ok: results.every((r) => r.ok), files: out, results };
}
