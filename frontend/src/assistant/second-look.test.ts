import { describe, expect, it } from 'vitest';
import type { PatchedFile } from '@patchpad/shared';
import { checkSummary, secondLook } from './second-look';

const file = (over: Partial<PatchedFile>): PatchedFile => ({ path: 'src/a.ts', op: 'modify', patch: '', ...over });

describe('secondLook', () => {
  it('flags each hunk that did not apply exactly, and says why', () => {
    const f = file({
      hunks: [
        { hunkIndex: 0, strategy: 'exact', fuzz: 0, oldStart: 3, offset: 0 },
        { hunkIndex: 1, strategy: 'indentation', fuzz: 2, oldStart: 40, offset: 0, reindented: 2 },
        { hunkIndex: 2, strategy: 'elided_context', fuzz: 5.2, oldStart: 80, offset: null, skipped: 1 },
        { hunkIndex: 3, strategy: 'exact', fuzz: 0, oldStart: 120, offset: -7 },
        { hunkIndex: 4, strategy: 'exact', fuzz: 0, oldStart: 200, offset: 0, reindented: 3 },
      ],
    });
    expect(secondLook(f, 5)).toEqual([
      [],
      ["indented differently from the file: 2 added lines re-indented to the file's style"],
      ['its context left out 1 line of the file, kept as they were'],
      ['its line numbers were off by 7'],
      ["3 added lines re-indented like the file's other hunks"],
    ]);
  });

  it('notes a path the model wrote differently on the first hunk, and treats records without placements as exact', () => {
    expect(secondLook(file({ writtenPath: 'my-app/src/a.ts', pathResolution: 'suffix' }), 2)).toEqual([['the diff named the file "my-app/src/a.ts"'], []]);
    expect(secondLook(file({ op: 'create' }), 1)).toEqual([[]]);
  });
});

describe('checkSummary', () => {
  it('reads "applies · type-checks", or lists the new errors', () => {
    expect(checkSummary({ status: 'passed', errors: [], ms: 120 })).toEqual({ ok: true, text: 'applies · type-checks', errors: [] });
    const bad = checkSummary({ status: 'new_errors', errors: [{ path: 'src/App.tsx', line: 4, column: 10, code: 2322, message: 'Type x' }], ms: 90 });
    expect(bad).toEqual({ ok: false, text: 'applies · 1 new type error', errors: ['src/App.tsx:4:10 TS2322: Type x'] });
    expect(checkSummary({ status: 'skipped', errors: [], reason: 'the patch changes no TypeScript file', ms: 0 }).text).toMatch(/skipped \(the patch/);
    expect(checkSummary(undefined).text).toBe('applies');
  });
});
