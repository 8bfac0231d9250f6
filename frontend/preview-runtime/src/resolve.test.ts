import { describe, expect, it } from 'vitest';
import { candidates, joinPath, packageNameOf, resolveEntry, resolveSpecifier } from './resolve';

const files = new Set(['/src/index.tsx', '/src/App.tsx', '/src/util/index.ts', '/src/data.json', '/src/styles.css', '/index.tsx', '/lib/a.js']);
const exists = (p: string) => files.has(p);

describe('joinPath', () => {
  it.each([
    ['/src/App.tsx', './Counter', '/src/Counter'],
    ['/src/App.tsx', '../lib/a', '/lib/a'],
    ['/src/deep/x.ts', '../../y', '/y'],
    ['/src/App.tsx', '../../../../etc/passwd', '/etc/passwd'],
    ['/src/App.tsx', '/abs/b', '/abs/b'],
    ['/src/App.tsx', './a//b/./c', '/src/a/b/c'],
  ])('%s + %s → %s', (from, rel, expected) => expect(joinPath(from, rel)).toBe(expected));
});

describe('packageNameOf', () => {
  it.each([
    ['react', 'react'],
    ['react-dom/client', 'react-dom'],
    ['@scope/pkg', '@scope/pkg'],
    ['@scope/pkg/sub/path', '@scope/pkg'],
    ['@scope', null],
    ['./x', null],
    ['/x', null],
    ['', null],
  ])('%s → %s', (spec, name) => expect(packageNameOf(spec)).toBe(name));
});

describe('resolveSpecifier', () => {
  it('probes extensions, then index files', () => {
    expect(resolveSpecifier('/src/index.tsx', './App', exists)).toEqual({ kind: 'file', path: '/src/App.tsx' });
    expect(resolveSpecifier('/src/index.tsx', './util', exists)).toEqual({ kind: 'file', path: '/src/util/index.ts' });
    expect(resolveSpecifier('/src/index.tsx', './util/', exists)).toEqual({ kind: 'file', path: '/src/util/index.ts' });
    expect(resolveSpecifier('/src/index.tsx', './data.json', exists)).toEqual({ kind: 'file', path: '/src/data.json' });
    expect(resolveSpecifier('/src/index.tsx', './data', exists)).toEqual({ kind: 'file', path: '/src/data.json' });
    expect(resolveSpecifier('/src/index.tsx', './styles.css', exists)).toEqual({ kind: 'file', path: '/src/styles.css' });
    expect(resolveSpecifier('/src/App.tsx', '../lib/a', exists)).toEqual({ kind: 'file', path: '/lib/a.js' });
  });

  it('treats bare specifiers as packages', () => {
    expect(resolveSpecifier('/src/App.tsx', 'react-dom/client', exists)).toEqual({ kind: 'package', name: 'react-dom', specifier: 'react-dom/client' });
  });

  it('lists what it tried for a missing file', () => {
    const result = resolveSpecifier('/src/App.tsx', './Nope', exists);
    expect(result.kind).toBe('missing');
    expect(result.kind === 'missing' && result.tried.slice(0, 2)).toEqual(['/src/Nope', '/src/Nope.tsx']);
  });

  it('does not look for extensionless css', () => {
    expect(candidates('/src/styles')).not.toContain('/src/styles.css');
  });
});

describe('resolveEntry', () => {
  const pkg = (main: string) => JSON.stringify({ main });
  it.each(['src/index.tsx', './src/index.tsx', '/src/index.tsx', 'src/index', './src/index'])('honours main %s', (main) => {
    expect(resolveEntry(pkg(main), 'create-react-app', exists)).toBe('/src/index.tsx');
  });

  it("falls back to the template's entry when main is absent, broken or missing", () => {
    expect(resolveEntry(JSON.stringify({}), 'create-react-app', exists)).toBe('/index.tsx');
    expect(resolveEntry('{ not json', 'create-react-app', exists)).toBe('/index.tsx');
    expect(resolveEntry(pkg('src/nope.tsx'), 'create-react-app', exists)).toBe('/index.tsx');
    expect(resolveEntry(undefined, null, (p) => p === '/src/index.js')).toBe('/src/index.js');
  });

  it('returns null when there is no entry at all', () => {
    expect(resolveEntry(undefined, null, () => false)).toBeNull();
  });
});
