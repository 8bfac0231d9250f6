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
