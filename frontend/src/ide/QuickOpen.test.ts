import { describe, expect, it } from 'vitest';
import { rankPaths } from './QuickOpen';

describe('quick open ranking', () => {
  const paths = ['src/App.tsx', 'src/Counter.tsx', 'public/index.html', 'src/app/config.ts', 'package.json'];
  it('matches subsequences and puts file-name matches first', () => {
    expect(rankPaths(paths, 'app')[0]).toBe('src/App.tsx');
    expect(rankPaths(paths, 'cntr')).toEqual(['src/Counter.tsx']);
    expect(rankPaths(paths, 'zzz')).toEqual([]);
    expect(rankPaths(paths, '')).toEqual([...paths].sort());
  });
});
