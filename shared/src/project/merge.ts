import { diffLines, EQUAL, REMOVE } from '../patch/myers.js';

/**
 * Three-way merge of text (diff3 over the patch engine's line diff), for a save whose base
 * is stale: both sides' changes against the common base are kept; where both changed the
 * same base lines differently the result is a conflict that carries both texts whole, so
 * nothing either side typed is lost until a person chooses.
 *
 * Lines are split on "\n" only (a "\r" stays part of its line), so joining the chunks gives
 * back every byte, line endings and a missing final newline included.
 */

/** Base lines [start, end) replaced by the side's lines [sideStart, sideEnd). */
interface Region {
  start: number;
  end: number;
  sideStart: number;
  sideEnd: number;
  side: 'mine' | 'theirs';
}

export type MergeChunk = { kind: 'same'; lines: string[] } | { kind: 'conflict'; base: string[]; mine: string[]; theirs: string[] };

export interface TextMerge {
  /** True when no chunk is a conflict; `text` is then the merged text. */
  clean: boolean;
  chunks: MergeChunk[];
  /** The merged text when clean, else null. */
  text: string | null;
}

export const splitLines = (text: string): string[] => text.split('\n');
export const joinLines = (lines: readonly string[]): string => lines.join('\n');

function regions(base: string[], side: string[], name: Region['side']): Region[] {
  const ops = diffLines(base, side);
  const out: Region[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === EQUAL) {
      i++;
      continue;
    }
    const first = ops[i]!;
    let removed = 0;
    let added = 0;
    for (; i < ops.length && ops[i]!.kind !== EQUAL; i++) {
      if (ops[i]!.kind === REMOVE) removed++;
      else added++;
    }
    out.push({ start: first.a, end: first.a + removed, sideStart: first.b, sideEnd: first.b + added, side: name });
  }
  return out;
}

/**
 * Whether region `r` (sorted after the group's first) joins the group spanning base
 * [start, end), whose insertion points are `emptyAt`. Replacements of different base lines
 * never clash, even when adjacent, and an insertion just before or after a replaced range
 * has one obvious place; two insertions at one point clash (their order is unknowable), and
 * so does an insertion strictly inside a replaced range.
 */
function clashes(r: Region, start: number, end: number, emptyAt: Set<number>): boolean {
  if (r.start === r.end) return (r.start > start && r.start < end) || emptyAt.has(r.start);
  return r.start < end;
}

/** The side's text for base [start, end): its regions inside, base lines between them. */
function sideText(base: string[], side: string[], own: Region[], start: number, end: number): string[] {
  const out: string[] = [];
  let at = start;
  for (const r of own) {
    out.push(...base.slice(at, r.start), ...side.slice(r.sideStart, r.sideEnd));
    at = r.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** diff3 of line arrays: chunks in order, unchanged and one-sided runs as `same`. */
export function mergeLines(base: string[], mine: string[], theirs: string[]): MergeChunk[] {
  const all = [...regions(base, mine, 'mine'), ...regions(base, theirs, 'theirs')].sort((a, b) => a.start - b.start || a.end - b.end);
  const chunks: MergeChunk[] = [];
  const pushSame = (lines: string[]) => {
    if (lines.length === 0) return;
    const last = chunks.at(-1);
    if (last?.kind === 'same') last.lines.push(...lines);
    else chunks.push({ kind: 'same', lines });
  };
  let at = 0;
  let i = 0;
  while (i < all.length) {
    const group = [all[i]!];
    let start = all[i]!.start;
    let end = all[i]!.end;
    const emptyAt = new Set(all[i]!.start === all[i]!.end ? [all[i]!.start] : []);
    for (i++; i < all.length && clashes(all[i]!, start, end, emptyAt); i++) {
      const r = all[i]!;
      group.push(r);
      start = Math.min(start, r.start);
      end = Math.max(end, r.end);
      if (r.start === r.end) emptyAt.add(r.start);
    }
    pushSame(base.slice(at, start));
    const mineOwn = group.filter((r) => r.side === 'mine');
    const theirsOwn = group.filter((r) => r.side === 'theirs');
    const m = sideText(base, mine, mineOwn, start, end);
    const t = sideText(base, theirs, theirsOwn, start, end);
    if (mineOwn.length === 0) pushSame(t);
    else if (theirsOwn.length === 0 || sameLines(m, t)) pushSame(m);
    else chunks.push({ kind: 'conflict', base: base.slice(start, end), mine: m, theirs: t });
    at = end;
  }
  pushSame(base.slice(at));
  return chunks;
}

export function mergeText(base: string, mine: string, theirs: string): TextMerge {
  if (mine === theirs || theirs === base) return { clean: true, chunks: [{ kind: 'same', lines: splitLines(mine) }], text: mine };
  if (mine === base) return { clean: true, chunks: [{ kind: 'same', lines: splitLines(theirs) }], text: theirs };
  const chunks = mergeLines(splitLines(base), splitLines(mine), splitLines(theirs));
  const clean = chunks.every((c) => c.kind === 'same');
  return { clean, chunks, text: clean ? joinLines(chunks.flatMap((c) => (c.kind === 'same' ? c.lines : []))) : null };
}

/** How a person settles one conflict chunk. `both` keeps theirs, then mine. */
export type ChunkChoice = 'mine' | 'theirs' | 'both';

/** The text once every conflict has a choice (`choices[i]` for the i-th conflict chunk). */
export function resolveChunks(chunks: readonly MergeChunk[], choices: readonly ChunkChoice[]): string {
  let k = 0;
  const lines: string[] = [];
  for (const c of chunks) {
    if (c.kind === 'same') {
      lines.push(...c.lines);
      continue;
    }
    const choice = choices[k++];
    if (choice === undefined) throw new RangeError(`conflict ${k} has no choice`);
    if (choice === 'mine') lines.push(...c.mine);
    else if (choice === 'theirs') lines.push(...c.theirs);
    else lines.push(...c.theirs, ...c.mine);
  }
  return joinLines(lines);
}

/** A file both sides changed in ways that do not merge; null = the file is absent on that side. */
export interface FileConflict {
  path: string;
  base: string | null;
  mine: string | null;
  theirs: string | null;
}

export interface ProjectMerge {
  /** Every path that merged cleanly, with its merged content (deleted files are absent). */
  files: Record<string, string>;
  /** Paths that need a person; absent from `files`. */
  conflicts: FileConflict[];
}

type Files = Readonly<Record<string, string>>;
const at = (files: Files, path: string): string | null => (Object.hasOwn(files, path) ? files[path]! : null);

/** The merge of one file; `conflict` when both sides changed it and the changes clash. */
export function mergeFile(base: string | null, mine: string | null, theirs: string | null): { content: string | null } | { conflict: true } {
  if (mine === theirs) return { content: mine };
  if (mine === base) return { content: theirs };
  if (theirs === base) return { content: mine };
  // Both changed it and one side deleted (or both created) it: only a person can say.
  if (base === null || mine === null || theirs === null) return { conflict: true };
  const merged = mergeText(base, mine, theirs);
  return merged.clean ? { content: merged.text } : { conflict: true };
}

/** Merges two projects that both started from `base` (see mergeText for one file). */
export function mergeProjectFiles(base: Files, mine: Files, theirs: Files): ProjectMerge {
  const paths = [...new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)])].sort();
  const files: Record<string, string> = {};
  const conflicts: FileConflict[] = [];
  for (const path of paths) {
    const b = at(base, path);
    const m = at(mine, path);
    const t = at(theirs, path);
    const r = mergeFile(b, m, t);
    if ('conflict' in r) conflicts.push({ path, base: b, mine: m, theirs: t });
    else if (r.content !== null) files[path] = r.content;
  }
  return { files, conflicts };
}
