import { describe, expect, it } from 'vitest';
import { changeBetween, undoChange } from './undo';

describe('undoing an applied patch', () => {
  const before = { 'a.ts': 'one\ntwo\nthree\nfour\nfive\n', 'gone.ts': 'x\n' };
  const after = { 'a.ts': 'one\nTWO\nthree\nfour\nfive\n', 'new.ts': 'created\n' };
  const change = changeBetween(before, after);

  it('restores the files exactly when nothing was typed since', () => {
    expect(undoChange(after, change)).toEqual({ files: before, kept: [] });
  });

  it('keeps what the user typed elsewhere since, reverting only the patch’s lines', () => {
    const typed = { ...after, 'a.ts': 'one\nTWO\nthree\nfour\nfive and more\n', 'other.ts': 'mine\n' };
    expect(undoChange(typed, change).files).toEqual({ ...before, 'a.ts': 'one\ntwo\nthree\nfour\nfive and more\n', 'other.ts': 'mine\n' });
  });

  it('leaves a file alone, and says so, when the user edited the patched lines themselves', () => {
    const typed = { ...after, 'a.ts': 'one\nTWO!!\nthree\nfour\nfive\n' };
    const r = undoChange(typed, change);
    expect(r.kept).toEqual(['a.ts']);
    expect(r.files['a.ts']).toBe('one\nTWO!!\nthree\nfour\nfive\n');
    expect(r.files['new.ts']).toBeUndefined();
  });
});
