import { describe, expect, it } from 'vitest';
import { afterSaved, dirtyPaths } from './sync';

describe('taking in a save’s answer', () => {
  it('adopts what the server merged in when nothing was typed during the save', () => {
    const sent = { 'a.ts': 'mine\n' };
    expect(afterSaved(sent, sent, { 'b.ts': 'theirs\n' })).toEqual({
      base: { 'a.ts': 'mine\n', 'b.ts': 'theirs\n' },
      files: { 'a.ts': 'mine\n', 'b.ts': 'theirs\n' },
    });
  });

  it('merges typing done during the save with what the server merged in, and leaves it unsaved', () => {
    const sent = { 'a.ts': '1\n2\n3\n4\n5\n' };
    const typing = { 'a.ts': '1\n2\n3\n4\n5 typed\n' };
    const r = afterSaved(sent, typing, { 'a.ts': '1 theirs\n2\n3\n4\n5\n' });
    expect(r.base).toEqual({ 'a.ts': '1 theirs\n2\n3\n4\n5\n' });
    expect(r.files).toEqual({ 'a.ts': '1 theirs\n2\n3\n4\n5 typed\n' });
    expect([...dirtyPaths(r.files, r.base)]).toEqual(['a.ts']);
  });

  it('keeps the typing untouched when it clashes with the merge', () => {
    const r = afterSaved({ 'a.ts': 'x\n' }, { 'a.ts': 'typed\n' }, { 'a.ts': 'theirs\n' });
    expect(r.files['a.ts']).toBe('typed\n');
  });
});
