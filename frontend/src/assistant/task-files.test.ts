import { describe, expect, it } from 'vitest';
import { taskFiles } from './task-files';

describe('taskFiles', () => {
  const base = { 'a.ts': 'a', 'b.ts': 'b', 'c.ts': 'c' };

  it('sends only what differs from the saved version, and what was deleted', () => {
    expect(taskFiles({ 'a.ts': 'a', 'b.ts': 'B', 'd.ts': 'd' }, base, 'v1')).toEqual({
      files: { 'b.ts': 'B', 'd.ts': 'd' },
      baseVersion: 'v1',
      deleted: ['c.ts'],
    });
  });

  it('sends nothing but the version when nothing changed', () => {
    expect(taskFiles(base, base, 'v1')).toEqual({ files: {}, baseVersion: 'v1' });
  });

  it('sends every file of a project never saved', () => {
    expect(taskFiles({ 'a.ts': 'x' }, {}, null)).toEqual({ files: { 'a.ts': 'x' } });
  });
});
