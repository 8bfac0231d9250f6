import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineEdits, type LineEdit } from './edits';

/**
 * Applies edits the way Monaco does: positions refer to the original text, all applied at
 * once, and inserts at one position keep their order (so the later one is spliced in first).
 */
function apply(text: string, edits: LineEdit[]): string {
  const lines = text.split(/\r?\n/);
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  const flat = lines.join('\n');
  let out = flat;
  const order = edits.map((e, i) => ({ e, i, at: offset(e.startLine, e.startColumn) }));
  for (const { e } of order.sort((x, y) => y.at - x.at || y.i - x.i)) {
    out = out.slice(0, offset(e.startLine, e.startColumn)) + e.text + out.slice(offset(e.endLine, e.endColumn));
  }
  return out;
}

const VOCAB = ['', 'a', 'b', 'const x = 1;', '}', '  return y;'];
const textArb = fc
  .array(fc.constantFrom(...VOCAB), { maxLength: 12 })
  .chain((ls) => fc.boolean().map((final) => ls.join('\n') + (final && ls.length ? '\n' : '')));

describe('lineEdits: minimal editor edits from one text to another', () => {
  it('turns before into after, for any pair (LF compared; empty texts and missing final newlines included)', () => {
    fc.assert(
      fc.property(textArb, textArb, (before, after) => {
        expect(apply(before, lineEdits(before, after))).toBe(after);
      }),
      { numRuns: 2000 },
    );
  });

  it('touches only the changed lines', () => {
    const before = ['one', 'two', 'three', 'four', 'five'].join('\n');
    const after = ['one', 'TWO', 'three', 'four', 'five', 'six'].join('\n');
    expect(lineEdits(before, after)).toEqual([
      { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1, text: 'TWO\n' },
      { startLine: 5, startColumn: 5, endLine: 5, endColumn: 5, text: '\nsix' },
    ]);
    expect(lineEdits(before, before)).toEqual([]);
  });

  it('reads CRLF text as lines like LF text', () => {
    expect(lineEdits('a\r\nb\r\n', 'a\r\nB\r\n')).toEqual([{ startLine: 2, startColumn: 1, endLine: 3, endColumn: 1, text: 'B\n' }]);
  });
});
