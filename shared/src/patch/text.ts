/**
 * A file's text seen as lines, without copying it: line boundaries are offsets into the
 * original string, so unchanged spans can be copied whole and each line keeps its own ending.
 */
export class TextLines {
  /** Number of lines (a final line without newline counts; '' has 0 lines). */
  readonly count: number;
  /** Whether the text ends with a line ending (false for ''). */
  readonly finalNewline: boolean;
  /** The file's usual line ending, or null when it has none yet. */
  readonly dominantEol: '\n' | '\r\n' | null;
  /** Whether a line ends with CRLF (else every ending is LF, so a line's end is its next start - 1). */
  private readonly hasCr: boolean;
  private readonly starts: number[]; // starts[i] = offset of line i; starts[count] = text.length
  private cache: string[] | undefined;

  constructor(readonly text: string) {
    // One indexOf per line is the cheapest scan JS offers (about 20 ns a line, call-bound):
    // on large files this loop is most of an apply's cost, so it records starts only.
    const starts: number[] = [];
    let pos = 0;
    while (pos < text.length) {
      starts.push(pos);
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      pos = nl + 1;
    }
    starts.push(text.length);
    this.starts = starts;
    this.count = starts.length - 1;
    this.finalNewline = text.endsWith('\n');
    this.hasCr = text.includes('\r\n');
    this.dominantEol = this.hasCr ? dominantEol(text, starts) : this.count > (this.finalNewline ? 0 : 1) ? '\n' : null;
  }

  /** Offset where line i's content ends (before its line ending). */
  private end(i: number): number {
    const next = this.starts[i + 1]!;
    if (next === this.text.length && !this.finalNewline) return next;
    return this.hasCr && this.text.charCodeAt(next - 2) === 13 && next - 2 >= this.starts[i]! ? next - 2 : next - 1;
  }

  line(i: number): string {
    return this.cache ? this.cache[i]! : this.text.slice(this.starts[i], this.end(i));
  }

  /** Whether line i is exactly `s`. */
  lineEquals(i: number, s: string): boolean {
    const start = this.starts[i]!;
    // A slice (O(1) in V8, it points into the text) compared with === is about 3x faster than
    // startsWith(s, start), whose builtin compares a character at a time.
    return this.end(i) - start === s.length && this.text.slice(start, start + s.length) === s;
  }

  /** Line i's ending: '\n', '\r\n', or '' for a last line without newline. */
  eol(i: number): string {
    return this.text.slice(this.end(i), this.starts[i + 1]);
  }

  /** Lines [from, to) with their endings, as one slice of the original text. */
  raw(from: number, to: number): string {
    return this.text.slice(this.starts[from], this.starts[to]);
  }

  /** Offset of line i's first character (text.length for i = count). */
  offset(i: number): number {
    return this.starts[i]!;
  }

  /** All lines (materialised once, for the slower search paths). */
  all(): string[] {
    this.cache ??= Array.from({ length: this.count }, (_, i) => this.text.slice(this.starts[i], this.end(i)));
    return this.cache;
  }
}

/** CRLF if most line endings are CRLF, else LF (only called when some line ends with CRLF). */
function dominantEol(text: string, starts: readonly number[]): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = 1; i < starts.length; i++) {
    const nl = starts[i]! - 1;
    if (text.charCodeAt(nl) !== 10) continue; // the last line, without newline
    if (nl > starts[i - 1]! && text.charCodeAt(nl - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function splitText(text: string): TextLines {
  return new TextLines(text);
}

/** Leading whitespace of a line. */
export function indentOf(line: string): string {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(0, i);
}

export const TAB_WIDTH = 4;

/** Width in columns of an indentation string (tab stops every TAB_WIDTH columns). */
export function indentWidth(indent: string): number {
  let w = 0;
  for (const ch of indent) w = ch === '\t' ? w + TAB_WIDTH - (w % TAB_WIDTH) : w + 1;
  return w;
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Collapses every whitespace run to one space and trims: the 'whitespace' strategy's key. */
export function squashWhitespace(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

/** A sentence of an answer's text: a capitalised word, a few more, a closing stop, no code punctuation. */
export function looksLikeProse(line: string): boolean {
  const t = line.trim();
  return /^[A-Z][a-z']*(\s+\S+){2,}[.!?:]$/.test(t) && !/[;{}=<>[\]]|\/\/|=>/.test(t);
}
