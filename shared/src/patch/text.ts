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
  private readonly starts: number[]; // starts[i] = offset of line i; starts[count] = text.length
  private readonly ends: number[]; // end of line i's content (before its ending)
  private cache: string[] | undefined;

  constructor(readonly text: string) {
    const starts: number[] = [];
    const ends: number[] = [];
    let crlf = 0;
    let lf = 0;
    let pos = 0;
    while (pos < text.length) {
      starts.push(pos);
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        ends.push(text.length);
        break;
      }
      const cr = nl > pos && text.charCodeAt(nl - 1) === 13;
      if (cr) crlf++;
      else lf++;
      ends.push(cr ? nl - 1 : nl);
      pos = nl + 1;
    }
    starts.push(text.length);
    this.starts = starts;
    this.ends = ends;
    this.count = ends.length;
    this.finalNewline = text.endsWith('\n');
    this.dominantEol = crlf === 0 && lf === 0 ? null : crlf > lf ? '\r\n' : '\n';
  }

  line(i: number): string {
    return this.cache ? this.cache[i]! : this.text.slice(this.starts[i], this.ends[i]);
  }

  /** Whether line i is exactly `s` (no copy made). */
  lineEquals(i: number, s: string): boolean {
    const start = this.starts[i]!;
    return this.ends[i]! - start === s.length && this.text.startsWith(s, start);
  }

  /** Line i's ending: '\n', '\r\n', or '' for a last line without newline. */
  eol(i: number): string {
    return this.text.slice(this.ends[i], this.starts[i + 1]);
  }

  /** Lines [from, to) with their endings, as one slice of the original text. */
  raw(from: number, to: number): string {
    return this.text.slice(this.starts[from], this.starts[to]);
  }

  /** All lines (materialised once, for the slower search paths). */
  all(): string[] {
    this.cache ??= this.ends.map((e, i) => this.text.slice(this.starts[i], e));
    return this.cache;
  }
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
