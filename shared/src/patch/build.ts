import { markEof } from './eof.js';
import { placedLines, type Placement } from './place.js';
import type { TextLines } from './text.js';
import type { Hunk, HunkApplyInfo, HunkLine } from './types.js';

/**
 * Builds the patched text from placed hunks. Kept lines are the file's own (text and line
 * ending), removed lines are dropped, added lines take the file's usual line ending and, when
 * the hunk was written at another indentation level, the file's indentation.
 */

export interface BuildResult {
  text: string;
  /**
   * The applied hunks as they really were: the file's own old lines, numbers against the
   * original. Built on call: only formatting the normalised patch needs them, and making a
   * line object per hunk line costs as much as building the text.
   */
  hunks: () => Hunk[];
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
function finalNewline(t: TextLines, eofLines: readonly HunkLine[] | undefined): boolean {
  const orig = t.finalNewline;
  if (!eofLines) return orig;
  const newLast = lastOfSide(eofLines, 'new');
  if (t.count === 0) return !newLast?.noEol;
  const oldLast = lastOfSide(eofLines, 'old');
  // Lines added after the last line: a marker on the new side can only drop a final newline.
  if (!oldLast) return orig && !newLast?.noEol;
  return Boolean(oldLast.noEol) === !orig ? !newLast?.noEol : orig;
}

/** The k-th added line of a placed hunk as written into the file (re-indented where the plan says). */
function addedText(l: HunkLine, pl: Placement, k: number): string {
  return pl.added ? pl.added[k]! : l.text;
}

function withEol(l: HunkLine, eol: string): HunkLine {
  if (eol === '\r\n') l.crlf = true;
  return l;
}

function info(p: Placement): HunkApplyInfo {
  const out: HunkApplyInfo = {
    hunkIndex: p.hunkIndex,
    strategy: p.match?.strategy ?? 'line_number',
    fuzz: p.match ? Math.round(p.match.fuzz * 1000) / 1000 : 0,
    oldStart: p.length === 0 ? p.start : p.start + 1,
    offset: p.offset,
  };
  if (p.reindented) out.reindented = p.reindented;
  if (p.match?.skipped) out.skipped = p.match.skipped;
  return out;
}

/** Where one applied hunk landed in the new text (0-based line, line count). */
interface Span {
  newStart: number;
  newLen: number;
}

/**
 * The new text as pieces joined once at the end: a flat string in one copy. Runs of kept
 * lines (between hunks and inside them) are single slices of the original, so the piece
 * count grows with the number of changes, not with the number of lines.
 */
class Pieces {
  readonly list: string[] = [];
  /** The text ends with the original last line, which has no line ending. */
  private open = false;
  lines = 0;

  constructor(
    private readonly t: TextLines,
    private readonly eol: string,
  ) {}

  push(piece: string, lines: number): void {
    if (piece === '') return;
    if (this.open) this.list.push(this.eol);
    this.list.push(piece);
    this.open = piece.charCodeAt(piece.length - 1) !== 10;
    this.lines += lines;
  }

  keep(from: number, to: number): void {
    if (to > from) this.push(this.t.raw(from, to), to - from);
  }

  /** The text, with the final newline made as `final` says. */
  join(final: boolean): string {
    const { list } = this;
    const last = list.length - 1;
    if (!final && !this.open && last >= 0) list[last] = list[last]!.slice(0, list[last]!.endsWith('\r\n') ? -2 : -1);
    else if (final && this.open) list.push(this.eol);
    return list.join('');
  }
}

export function buildResult(t: TextLines, hunks: readonly Hunk[], placements: readonly Placement[]): BuildResult {
  const n = t.count;
  const addEol = t.dominantEol ?? (hunks.some((h) => h.lines.some((l) => l.kind === 'add' && l.crlf)) ? '\r\n' : '\n');
  const out = new Pieces(t, addEol);
  const spans: Span[] = [];
  let kept = 0; // first line of the run of kept lines not written yet
  for (const pl of placements) {
    // Kept lines are written only when a change interrupts them, so a hunk's trailing context,
    // the gap and the next hunk's leading context become one slice.
    const newStart = out.lines + (pl.start - kept);
    let newLen = 0;
    let p = pl.start; // next original line of this hunk
    let added = 0;
    for (const l of placedLines(hunks, pl)) {
      if (l.kind === 'context') {
        p++;
        newLen++;
        continue;
      }
      out.keep(kept, p);
      if (l.kind === 'add') {
        out.push(addedText(l, pl, added++) + addEol, 1);
        newLen++;
        kept = p;
      } else kept = ++p;
    }
    spans.push({ newStart, newLen });
  }
  out.keep(kept, n);

  const eofAt = placements.findLastIndex((pl) => pl.start + pl.length === n);
  const final = finalNewline(t, eofAt === -1 ? undefined : placedLines(hunks, placements[eofAt]!));
  const outCount = out.lines;
  const text = out.join(final);
  const applied = () => placements.map((pl, i) => appliedHunk(t, placedLines(hunks, pl), pl, spans[i]!, { addEol, outCount, final }));
  return { text, hunks: applied, infos: placements.map(info) };
}

/** One hunk as it was applied: the file's own old lines and endings, numbers of both sides. */
function appliedHunk(
  t: TextLines,
  hunkLines: readonly HunkLine[],
  pl: Placement,
  span: Span,
  result: { addEol: string; outCount: number; final: boolean },
): Hunk {
  const n = t.count;
  const lines: HunkLine[] = [];
  let p = pl.start;
  let added = 0;
  for (const l of hunkLines) {
    if (l.kind === 'add') {
      lines.push(withEol({ kind: 'add', text: addedText(l, pl, added++) }, result.addEol));
      continue;
    }
    lines.push(withEol({ kind: l.kind, text: t.line(p) }, t.eol(p)));
    p++;
  }
  const oldNoEol = n > 0 && !t.finalNewline && p === n && pl.length > 0;
  const newNoEol = result.outCount > 0 && !result.final && span.newStart + span.newLen === result.outCount && span.newLen > 0;
  return {
    oldStart: pl.length === 0 ? pl.start : pl.start + 1,
    newStart: span.newLen === 0 ? span.newStart : span.newStart + 1,
    lines: markEof(lines, oldNoEol, newNoEol),
  };
}
