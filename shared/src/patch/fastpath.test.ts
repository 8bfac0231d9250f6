import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { createPatch } from './diff.js';

/**
 * The fast path (each hunk tried first exactly at its shifted line number) must give the full
 * search's result, conflicts included. Files come from a tiny vocabulary so that blocks repeat
 * (several exact copies is where a shortcut could pick another copy than the full rules).
 */
const VOCAB = ['', '}', '  return x;', 'if (a) {', '  call(1);', 'end', '\tdeep();', 'x = 1;  '];

interface Edit {
  at: number;
  del: number;
  ins: string[];
}

function edit(lines: readonly string[], edits: readonly Edit[]): string[] {
  const out = [...lines];
  for (const e of edits) out.splice(Math.floor(e.at * out.length), e.del, ...e.ins);
  return out;
}

const join = (lines: readonly string[], eol: string, final: boolean) => (lines.length === 0 ? '' : lines.join(eol) + (final ? eol : ''));

const lineArb = fc.constantFrom(...VOCAB);
const caseArb = fc.record({
  // Either a short random file, or a block repeated so that every hunk has exact copies.
  lines: fc.oneof(
    fc.array(lineArb, { maxLength: 60 }),
    fc
      .tuple(fc.array(lineArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 2, max: 8 }))
      .map(([block, n]) => Array.from({ length: n }, () => block).flat()),
  ),
  edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat(3), ins: fc.array(lineArb, { maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 6,
  }),
  eol: fc.constantFrom('\n', '\r\n'),
  finalA: fc.boolean(),
  finalB: fc.boolean(),
  context: fc.integer({ min: 0, max: 3 }),
  // Per-hunk damage to the old start: mostly a common shift, sometimes a stray one or none.
  shift: fc.integer({ min: -12, max: 12 }),
  stray: fc.array(fc.constantFrom(0, 0, 0, 1, -1, 3, -7, 15, 'drop' as const), { maxLength: 8 }),
});

/** Rewrites the `-a` of each hunk header: all shifted by `shift`, the i-th also by `stray[i]`. */
function damageNumbers(patch: string, shift: number, stray: ReadonlyArray<number | 'drop'>): string {
  let i = 0;
  return patch.replace(/^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm, (_m, a: string, ac = '', b: string, bc = '') => {
    const extra = stray[i++] ?? 0;
    if (extra === 'drop') return '@@ @@';
    return `@@ -${Math.max(0, Number(a) + shift + extra)}${ac} +${b}${bc} @@`;
  });
}

describe('fast path', () => {
  it('gives the same result as the full search (LF/CRLF, no final newline, repeats, wrong numbers)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = join(c.lines, c.eol, c.finalA);
        const b = join(edit(c.lines, c.edits), c.eol, c.finalB);
        const clean = createPatch('f.txt', a, b, { context: c.context });
        fc.pre(clean !== '');
        for (const patch of [clean, damageNumbers(clean, c.shift, []), damageNumbers(clean, c.shift, c.stray)]) {
          const fast = applyPatch({ 'f.txt': a }, patch);
          const full = applyPatch({ 'f.txt': a }, patch, { fastPath: false });
          expect(fast).toEqual(full);
          expect(fast.results.map((r) => r.patch)).toEqual(full.results.map((r) => r.patch));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the normalised patch an own string property that JSON includes', () => {
    const r = applyPatch({ 'f.txt': 'a\nb\nc\n' }, createPatch('f.txt', 'a\nb\nc\n', 'a\nB\nc\n')).results[0]!;
    const json = JSON.parse(JSON.stringify(r)) as { patch: string };
    expect(json.patch).toBe(r.patch);
    expect(json.patch).toContain('-b\n+B\n');
    expect(Object.keys({ ...r })).toContain('patch');
  });
});
