import { markEof } from './eof.js';
import { formatFilePatch } from './format.js';
import { ADD, diffLines, EQUAL, REMOVE, type DiffOp } from './myers.js';
import { splitText, type TextLines } from './text.js';
import type { FileOp, FilePatch, Hunk, HunkLine } from './types.js';

export interface CreatePatchOptions {
  /** Unchanged lines around each change (default 3). Changes closer than twice this share a hunk. */
  context?: number;
  /** Path before the change, when the file is renamed. */
  oldPath?: string;
}

/** Lines as compared: a last line without final newline differs from the same line with one. */
function compareKeys(t: TextLines): string[] {
  const keys = [...t.all()];
  if (keys.length > 0 && !t.finalNewline) keys[keys.length - 1] += '\u0000no-eol';
  return keys;
}

function hunkLine(kind: HunkLine['kind'], t: TextLines, i: number): HunkLine {
  const l: HunkLine = { kind, text: t.line(i) };
  if (t.eol(i) === '\r\n') l.crlf = true;
  return l;
}

/** Groups edits into hunks with `context` lines around them. */
export function hunksFromOps(ops: readonly DiffOp[], a: TextLines, b: TextLines, context: number): Hunk[] {
  const changes: number[] = [];
  ops.forEach((op, i) => op.kind !== EQUAL && changes.push(i));
  const hunks: Hunk[] = [];
  let g = 0;
  while (g < changes.length) {
    let last = g;
    while (last + 1 < changes.length && changes[last + 1]! - changes[last]! - 1 <= 2 * context) last++;
    const from = Math.max(0, changes[g]! - context);
    const to = Math.min(ops.length, changes[last]! + context + 1);
    hunks.push(makeHunk(ops.slice(from, to), a, b));
    g = last + 1;
  }
  return hunks;
}

function makeHunk(ops: readonly DiffOp[], a: TextLines, b: TextLines): Hunk {
  const lines: HunkLine[] = [];
  let oldCount = 0;
  let newCount = 0;
  for (const op of ops) {
    if (op.kind !== ADD) oldCount++;
    if (op.kind !== REMOVE) newCount++;
    lines.push(op.kind === EQUAL ? hunkLine('context', a, op.a) : op.kind === REMOVE ? hunkLine('remove', a, op.a) : hunkLine('add', b, op.b));
  }
  const first = ops[0]!;
  const oldEnd = first.a + oldCount;
  const newEnd = first.b + newCount;
  const oldNoEol = oldCount > 0 && oldEnd === a.count && !a.finalNewline;
  const newNoEol = newCount > 0 && newEnd === b.count && !b.finalNewline;
  return {
    oldStart: oldCount === 0 ? first.a : first.a + 1,
    newStart: newCount === 0 ? first.b : first.b + 1,
    lines: markEof(lines, oldNoEol, newNoEol),
  };
}

/** The file patch (parsed form) from one version of a file to another; null content = absent. */
export function createFilePatch(path: string, before: string | null, after: string | null, options: CreatePatchOptions = {}): FilePatch {
  const a = splitText(before ?? '');
  const b = splitText(after ?? '');
  const hunks = hunksFromOps(diffLines(compareKeys(a), compareKeys(b)), a, b, Math.max(0, options.context ?? 3));
  const oldPath = before === null ? null : (options.oldPath ?? path);
  const newPath = after === null ? null : path;
  const op: FileOp = before === null ? 'create' : after === null ? 'delete' : oldPath !== path ? 'rename' : 'modify';
  return { op, oldPath, newPath, hunks };
}

/**
 * A clean unified diff of one file, git style. `before === null` creates the file,
 * `after === null` deletes it. Returns '' when nothing changes.
 */
export function createPatch(path: string, before: string | null, after: string | null, options: CreatePatchOptions = {}): string {
  if (before === after && (options.oldPath === undefined || options.oldPath === path)) return '';
  return formatFilePatch(createFilePatch(path, before, after, options));
}
