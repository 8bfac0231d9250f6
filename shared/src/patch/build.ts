import { markEof } from './eof.js';
import { reindent } from './indent.js';
import type { Placement } from './place.js';
import type { TextLines } from './text.js';
import type { Hunk, HunkApplyInfo, HunkLine } from './types.js';

/**
 * Builds the patched text from placed hunks. Kept lines are the file's own (text and line
 * ending), removed lines are dropped, added lines take the file's usual line ending and, when
 * the hunk was written at another indentation level, the file's indentation.
 */

export interface BuildResult {
  text: string;
  /** The applied hunks as they really were: the file's own old lines, numbers against the original. */
  hunks: Hunk[];
  infos: HunkApplyInfo[];
}

function lastOfSide(lines: readonly HunkLine[], side: 'old' | 'new'): HunkLine | undefined {
  for (let i = lines.length - 1; i >= 0; i--) if (side === 'old' ? lines[i]!.kind !== 'add' : lines[i]!.kind !== 'remove') return lines[i];
  return undefined;
}

/**
 * Final newline of the result: the file's own, unless the hunk that reaches the end of the
 * file has `\ No newline` markers that agree with the file — then they say what changes.
 */
function finalNewline(t: TextLines, eofHunk: Hunk | undefined): boolean {
  const orig = t.finalNewline;
  if (!eofHunk) return orig;
  const newLast = lastOfSide(eofHunk.lines, 'new');
  if (t.count === 0) return !newLast?.noEol;
  const oldLast = lastOfSide(eofHunk.lines, 'old');
  // Lines added after the last line: a marker on the new side can only drop a final newline.
  if (!oldLast) return orig && !newLast?.noEol;
  return Boolean(oldLast.noEol) === !orig ? !newLast?.noEol : orig;
}

function withEol(l: HunkLine, eol: string): HunkLine {
  if (eol === '\r\n') l.crlf = true;
  return l;
}

function info(p: Placement): HunkApplyInfo {
  return {
    hunkIndex: p.hunkIndex,
    strategy: p.match?.strategy ?? 'line_number',
    fuzz: p.match ? Math.round(p.match.fuzz * 1000) / 1000 : 0,
    oldStart: p.length === 0 ? p.start : p.start + 1,
    offset: p.offset,
  };
}

export function buildResult(t: TextLines, hunks: readonly Hunk[], placements: readonly Placement[]): BuildResult {
  const n = t.count;
  const addEol = t.dominantEol ?? (hunks.some((h) => h.lines.some((l) => l.kind === 'add' && l.crlf)) ? '\r\n' : '\n');
  // Pieces joined once at the end: a flat string in one copy, where `+=` would leave a rope
  // of hundreds of pieces that every reader (comparison, JSON, write) would have to flatten.
  const pieces: string[] = [];
  let open = false; // the text ends with the original last line, which has no line ending
  let outCount = 0;
  const push = (piece: string, lines: number) => {
    if (open) pieces.push(addEol);
    pieces.push(piece);
    open = piece.charCodeAt(piece.length - 1) !== 10;
    outCount += lines;
  };
  const out: Hunk[] = [];
  const spans: Array<{ newStart: number; newLen: number; oldEnd: number }> = [];
  let p = 0;
  for (const pl of placements) {
    if (pl.start > p) push(t.raw(p, pl.start), pl.start - p);
    p = pl.start;
    const newStart = outCount;
    const norm: HunkLine[] = [];
    for (const l of hunks[pl.hunkIndex]!.lines) {
      if (l.kind === 'add') {
        const text = pl.match?.indent ? reindent(l.text, pl.match.indent) : l.text;
        push(text + addEol, 1);
        norm.push(withEol({ kind: 'add', text }, addEol));
        continue;
      }
      if (l.kind === 'context') push(t.raw(p, p + 1), 1);
      norm.push(withEol({ kind: l.kind, text: t.line(p) }, t.eol(p)));
      p++;
    }
    out.push({ oldStart: pl.length === 0 ? pl.start : pl.start + 1, newStart: 0, lines: norm });
    spans.push({ newStart, newLen: outCount - newStart, oldEnd: p });
  }
  if (p < n) push(t.raw(p, n), n - p);

  const eofAt = placements.findLastIndex((pl) => pl.start + pl.length === n);
  const final = finalNewline(t, eofAt === -1 ? undefined : hunks[placements[eofAt]!.hunkIndex]);
  const last = pieces.length - 1;
  if (!final && !open && last >= 0) pieces[last] = pieces[last]!.slice(0, pieces[last]!.endsWith('\r\n') ? -2 : -1);
  else if (final && open) pieces.push(addEol);
  const text = pieces.join('');

  out.forEach((h, i) => {
    const s = spans[i]!;
    h.newStart = s.newLen === 0 ? s.newStart : s.newStart + 1;
    const oldNoEol = n > 0 && !t.finalNewline && s.oldEnd === n && placements[i]!.length > 0;
    const newNoEol = outCount > 0 && !final && s.newStart + s.newLen === outCount && s.newLen > 0;
    h.lines = markEof(h.lines, oldNoEol, newNoEol);
  });
  return { text, hunks: out, infos: placements.map(info) };
}
