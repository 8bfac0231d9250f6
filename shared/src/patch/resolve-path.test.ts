import { describe, expect, it } from 'vitest';
import { fitPath, newFilePath, normalisePath } from './resolve-path.js';

const KEYS = ['src/App.tsx', 'src/components/Button.tsx', 'packages/web/src/server.ts', 'packages/admin/src/server.ts', 'README.md'];
const present = (k: string) => KEYS.includes(k);

describe('fitPath: which project file a header path means', () => {
  it.each([
    ['src/App.tsx', { key: 'src/App.tsx', how: null }],
    ['./src/App.tsx', { key: 'src/App.tsx', how: 'normalised' }],
    ['/src/App.tsx', { key: 'src/App.tsx', how: 'normalised' }],
    ['src\\components\\Button.tsx', { key: 'src/components/Button.tsx', how: 'normalised' }],
    ['w/src/App.tsx', { key: 'src/App.tsx', how: 'prefix' }],
    ['old/src/App.tsx', { key: 'src/App.tsx', how: 'prefix' }],
    ['my-app/src/components/Button.tsx', { key: 'src/components/Button.tsx', how: 'suffix' }],
    ['web/src/server.ts', { key: 'packages/web/src/server.ts', how: 'suffix' }],
    ['components/Button.tsx', { key: 'src/components/Button.tsx', how: 'suffix' }],
    ['src/app.tsx', { key: 'src/App.tsx', how: 'case' }],
    ['src/server.ts', { ambiguous: ['packages/admin/src/server.ts', 'packages/web/src/server.ts'] }],
    // A bare name in another folder is another file, and a new path fits nothing.
    ['lib/App.tsx', null],
    ['src/New.tsx', null],
  ])('%s', (written, want) => {
    expect(fitPath(KEYS, present, written)).toEqual(want);
  });
});

describe('paths of new files', () => {
  it('drops ./ and a leading /, and a leading folder the project does not have', () => {
    expect(normalisePath('.//src\\a.ts')).toBe('src/a.ts');
    expect(newFilePath(KEYS, './src/New.tsx')).toBe('src/New.tsx');
    expect(newFilePath(KEYS, 'my-app/src/New.tsx')).toBe('src/New.tsx');
    expect(newFilePath(KEYS, 'docs/guide.md')).toBe('docs/guide.md');
    // Backslashes stay: the project path check refuses them with a message.
    expect(newFilePath(KEYS, 'src\\New.tsx')).toBe('src\\New.tsx');
  });
});
