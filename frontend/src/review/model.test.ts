import { describe, expect, it } from 'vitest';
import { createPatch } from '@patchpad/shared/patch';
import type { PatchedFile } from '@patchpad/shared';
import { decide, fileView, finishReview, pendingCount, startReview } from './model';

const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const after = before.replace('line 3\n', 'line three\n').replace('line 25\n', 'line twenty-five\n');
const patch: PatchedFile = { path: 'a.ts', op: 'modify', patch: createPatch('a.ts', before, after) };

describe('reviewing a proposed change hunk by hunk', () => {
  it('shows every pending hunk with a bar above its first changed line', () => {
    const [file] = startReview([patch]);
    const view = fileView(file!, before);
    expect(view.original).toBe(before);
    expect(view.modified).toBe(after);
    expect(view.bars.map((b) => [b.hunk, b.line])).toEqual([
      [0, 2],
      [1, 24],
    ]);
    expect(view.bars[0]!.info).toMatchObject({ strategy: 'exact' });
  });

  it('moves an accepted hunk to the left side and drops a rejected one from the right', () => {
    let files = startReview([patch]);
    files = decide(files, 0, 0, 'accepted');
    files = decide(files, 0, 1, 'rejected');
    const view = fileView(files[0]!, before);
    expect(view.original).toBe(before.replace('line 3\n', 'line three\n'));
    expect(view.modified).toBe(view.original);
    expect(view.bars).toEqual([]);
    expect(pendingCount(files)).toBe(0);
    const done = finishReview(files, { 'a.ts': before });
    expect(done).toMatchObject({ accepted: 1, total: 2, problems: [], decisions: [{ path: 'a.ts', hunks: ['accepted', 'rejected'] }] });
    expect(done.files['a.ts']).toBe(view.original);
  });

  it('rebases onto a buffer edited since the task started, and marks a hunk whose lines are gone as stale', () => {
    const edited = before.replace('line 3\n', 'line 3 edited by hand\n').replace('line 10\n', 'line ten\n');
    const view = fileView(startReview([patch])[0]!, edited);
    expect(view.stale).toEqual([0]);
    expect(view.modified).toBe(edited.replace('line 25\n', 'line twenty-five\n'));
    expect(view.bars.map((b) => b.hunk)).toEqual([1]);
  });
});
