import { buildResult } from './build.js';
import { applyClean } from './clean.js';
import * as C from './conflicts.js';
import { createFilePatch } from './diff.js';
import { formatFilePatch } from './format.js';
import { parsePatch } from './parse.js';
import { fitPath, newFilePath, normalisePath, type PathHow } from './resolve-path.js';
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

const presentIn = (files: FileSet) => (k: string) => Object.hasOwn(files, k) && files[k] !== null;
const keysOf = (files: FileSet) => Object.keys(files).filter(presentIn(files));

/**
 * The key of `files` a patch path refers to (see resolve-path.ts), or null when none or
 * several fit.
 */
export function resolvePath(files: FileSet, path: string): string | null {
  const fit = fitPath(keysOf(files), presentIn(files), path);
  return fit && 'key' in fit ? fit.key : null;
}

/**
 * Several files fit the written path equally: the one the hunks apply to, if exactly one
 * (its content says which file was meant); otherwise a conflict naming them.
 */
function byContent(files: FileSet, f: FilePatch, fits: readonly string[], options: ApplyOptions): string | null {
  if (f.hunks.length === 0 || f.hunks.every((h) => h.lines.every((l) => l.kind === 'add'))) return null;
  const strict: ApplyOptions = { ...options, maxStrategy: 'whitespace' };
  const applies = fits.filter((k) => applyHunksToText(files[k]!, f.hunks, k, strict).ok);
  return applies.length === 1 ? applies[0]! : null;
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

/** The existing file a patch's old path means, how it was found, or why not. */
function locateFile(
  files: FileSet,
  f: FilePatch,
  options: ApplyOptions,
): { key: string; how: PathHow | 'content' | null } | { conflict: PatchConflict } | null {
  const fit = fitPath(keysOf(files), presentIn(files), f.oldPath!);
  if (fit === null) return null;
  if ('key' in fit) {
    // A header that names no file, with only added lines, is a new file, not a far-fetched fit.
    if (fit.how !== null && fit.how !== 'normalised' && fit.how !== 'prefix' && looksLikeCreation(f)) return null;
    return fit;
  }
  const key = byContent(files, f, fit.ambiguous, options);
  return key !== null ? { key, how: 'content' } : { conflict: C.pathAmbiguous(f.oldPath!, fit.ambiguous) };
}

/**
 * The new path of a modify or rename whose old path was resolved: the same file when the
 * two headers differ only in their diff prefixes (`i/x` → `w/x`) or resolve alike; otherwise
 * the written new path, cleaned the way the old one was.
 */
function targetOf(files: FileSet, f: FilePatch, key: string): string {
  if (f.op !== 'rename' || f.renameHeader) return f.op === 'rename' ? newFilePath(keysOf(files), f.newPath!) : key;
  const newKey = resolvePath(files, f.newPath!);
  if (newKey === key) return key;
  const strip = (p: string) => normalisePath(p).replace(/^[^/]+\//, '');
  if (strip(f.oldPath!) === strip(f.newPath!)) return key;
  return newFilePath(keysOf(files), f.newPath!);
}

function applyFile(files: Record<string, string | null>, f: FilePatch, options: ApplyOptions): FileApplyResult {
  if (f.op === 'create') return withWritten(applyCreate(files, f, newFilePath(keysOf(files), f.newPath!), options), f.newPath!, null);
  const found = locateFile(files, f, options);
  if (found === null) {
    if (f.op === 'modify' && looksLikeCreation(f))
      return withWritten(applyCreate(files, { ...f, op: 'create', oldPath: null }, newFilePath(keysOf(files), f.newPath!), options), f.newPath!, null);
    return failed(f, f.op === 'rename' ? f.newPath! : f.oldPath!, [C.fileNotFound(f.oldPath!)]);
  }
  if ('conflict' in found) return failed(f, f.oldPath!, [found.conflict]);
  const { key, how } = found;
  if (f.op === 'delete') return withWritten(applyDelete(files, f, key, options), f.oldPath!, how);
  const target = targetOf(files, f, key);
  const op = target === key ? 'modify' : 'rename';
  return withWritten(applyModify(files, { ...f, op, newPath: target }, key, options), f.oldPath!, how);
}

/** Records the header's own path on a result whose file was found by resolving it. */
function withWritten(r: FileApplyResult, written: string, how: PathHow | 'content' | null): FileApplyResult {
  if (r.ok && written !== r.path && written !== r.oldPath) {
    r.writtenPath = written;
    r.pathResolution = how ?? 'normalised';
  }
  return r;
}

/**
 * Applies a (multi-file) patch to a file set. Each file applies all or nothing; files are
 * processed in patch order, each seeing the result of the previous ones. `files` in the
 * result is the whole set: changed files, untouched ones, null for deleted ones.
 */
export function applyPatch(files: FileSet, patch: string | PatchSet, options: ApplyOptions = {}): PatchApplyResult {
  if (typeof patch === 'string' && options.fastPath !== false) {
    const clean = applyClean(files, patch);
    if (clean !== null) return clean;
  }
  const set = typeof patch === 'string' ? parsePatch(patch) : patch;
  const out: Record<string, string | null> = { ...files };
  const results = set.files.map((f) => applyFile(out, f, options));
  return { ok: results.every((r) => r.ok), files: out, results };
}
