import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { createPatch } from './diff.js';
import { applyHunks, selectHunks, splitHunks } from './hunks.js';

const BEFORE = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const AFTER = BEFORE.replace('line 5\n', 'line five\n').replace('line 20\n', 'line 20\nline 20b\n').replace('line 35\n', '');
const PATCH = createPatch('f.txt', BEFORE, AFTER);

describe('splitHunks', () => {
  it('gives one self-contained diff per hunk, each applying on its own to the original', () => {
    const parts = splitHunks(PATCH);
    expect(parts).toHaveLength(3);
    expect(parts.map((p) => applyPatch({ 'f.txt': BEFORE }, p, { maxStrategy: 'exact' }).results[0]!.hunks[0]!.offset)).toEqual([0, 0, 0]);
    expect(parts[2]).toMatch(/^@@ -32,7 \+32,6 @@$/m);
    expect(applyPatch({ 'f.txt': BEFORE }, parts[1]!).files['f.txt']).toBe(BEFORE.replace('line 20\n', 'line 20\nline 20b\n'));
  });
});

describe('selectHunks', () => {
  it('keeps the accepted hunks and renumbers the new side', () => {
    const kept = selectHunks(PATCH, [0, 2]);
    expect(kept.match(/^@@.*$/gm)).toEqual(['@@ -2,7 +2,7 @@', '@@ -32,7 +32,6 @@']);
    expect(applyPatch({ 'f.txt': BEFORE }, kept, { maxStrategy: 'exact' }).files['f.txt']).toBe(AFTER.replace('line 20b\n', ''));
    expect(selectHunks(PATCH, [])).toBe('');
  });

  it('rejects indices that are not hunks', () => {
    expect(() => selectHunks(PATCH, [3])).toThrow(RangeError);
  });
});

describe('applyHunks (rebase onto an edited buffer)', () => {
  it('applies the accepted subset to a buffer edited since, wherever the lines moved', () => {
    const edited = `// header added by the user\n// and another line\n${BEFORE.replace('line 30\n', 'line 30 (edited)\n')}`;
    const r = applyHunks(edited, PATCH, [0, 2]);
    expect(r).toEqual({
      ok: true,
      content: edited.replace('line 5\n', 'line five\n').replace('line 35\n', ''),
      conflicts: [],
    });
  });

  it('applies nothing and reports the hunk by its index in the patch when the user changed its lines', () => {
    const edited = BEFORE.replace('line 35\n', 'line 35 rewritten by hand\n');
    const r = applyHunks(edited, PATCH, [1, 2]);
    expect(r.ok).toBe(false);
    expect(r.content).toBe(edited);
    expect(r.conflicts.map((c) => [c.hunkIndex, c.reason])).toEqual([[2, 'removed_lines_not_found']]);
  });

  it('accepts a headerless single-file patch', () => {
    const body = PATCH.slice(PATCH.indexOf('@@'));
    expect(applyHunks(BEFORE, body, [0, 1, 2]).content).toBe(AFTER);
  });
});

describe('per-hunk review, property: accepting hunks in two rounds equals accepting them all', () => {
  // Lines drawn from a small vocabulary repeat, which is what makes placing hunks hard.
  const VOCAB = ['', '}', '  return x;', 'if (a) {', '  call(1);', 'const y = 3;', '// note', 'end'];
  const unique = (i: number) => `unique ${i}`;
  const fileArb = fc.array(fc.oneof(fc.constantFrom(...VOCAB), fc.nat(200).map(unique)), { minLength: 1, maxLength: 60 }).map((ls) => `${ls.join('\n')}\n`);
  const editsArb = fc.array(
    fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat(3), ins: fc.array(fc.constantFrom(...VOCAB, 'NEW'), { maxLength: 3 }) }),
    {
      minLength: 1,
      maxLength: 6,
    },
  );

  it('first a random subset, then the rest onto the result (a rebase), gives exactly B, or refuses; never something else', () => {
    let refused = 0;
    let runs = 0;
    fc.assert(
      fc.property(fileArb, editsArb, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (a, edits, pick) => {
        const lines = a.slice(0, -1).split('\n');
        for (const e of edits) lines.splice(Math.floor(e.at * lines.length), e.del, ...e.ins);
        const b = `${lines.join('\n')}\n`;
        const patch = createPatch('f.txt', a, b);
        if (patch === '') return;
        const n = splitHunks(patch).length;
        const first = [...Array(n).keys()].filter((i) => pick[i % pick.length]);
        const rest = [...Array(n).keys()].filter((i) => !pick[i % pick.length]);
        runs++;
        const round1 = applyHunks(a, patch, first);
        expect(round1.ok).toBe(true); // onto the text the patch was made from: always applies
        const round2 = applyHunks(round1.content, patch, rest);
        if (!round2.ok) {
          refused++;
          expect(round2.content).toBe(round1.content); // all or nothing
          return;
        }
        expect(round2.content).toBe(b);
      }),
      { numRuns: 1500 },
    );
    // Refusals are allowed (repeated lines can make a shifted hunk ambiguous) but must stay rare.
    expect(refused / runs).toBeLessThan(0.05);
  });
});
