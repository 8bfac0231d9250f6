import { describe, expect, it } from 'vitest';
import { findRequires, kindOf, transpile, TranspileError } from './transpile';

describe('transpile', () => {
  it('turns TSX into CommonJS with the automatic JSX runtime, keeping lines', () => {
    const source =
      "import { useState } from 'react';\nimport './styles.css';\ntype P = { n: number };\nexport default function A(p: P) {\n  return <b>{p.n}</b>;\n}\n";
    const out = transpile('/src/A.tsx', source);
    expect(out.kind).toBe('script');
    expect(out.requires).toEqual(['react/jsx-dev-runtime', './styles.css']);
    expect(out.code.split('\n').length).toBe(source.split('\n').length);
    expect(out.code.split('\n')[4]).toContain('jsxDEV');
    expect(out.code).not.toContain('type P');
  });

  it('drops type-only imports like TypeScript does', () => {
    const out = transpile('/src/B.ts', "import type { X } from './types';\nimport { y } from './y';\nexport const z: X = y;\n");
    expect(out.requires).toEqual(['./y']);
  });

  it('accepts JSX in .js files (create-react-app style) and dynamic import()', () => {
    const out = transpile('/src/C.js', "export const C = () => <i/>;\nexport const lazy = () => import('./D');\n");
    expect(out.requires).toEqual(['react/jsx-dev-runtime', './D']);
  });

  it('reports a syntax error with file, 1-based line and column', () => {
    let error: unknown;
    try {
      transpile('/src/App.tsx', "const a = 1;\nconst b = useState('x';\n");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TranspileError);
    const e = error as TranspileError;
    expect([e.path, e.line, e.column, e.name]).toEqual(['/src/App.tsx', 2, 23, 'SyntaxError']);
    expect(e.message).toBe('/src/App.tsx: Unexpected token, expected "," (2:23)');
  });

  it('passes non-script files through by kind', () => {
    expect(transpile('/a.json', '{"a":1}')).toEqual({ kind: 'json', code: '{"a":1}', requires: [] });
    expect(kindOf('/a.css')).toBe('style');
    expect(kindOf('/logo.svg')).toBe('asset');
    expect(kindOf('/README')).toBe('asset');
  });
});

describe('findRequires', () => {
  it('finds string-literal requires once each, in order', () => {
    expect(findRequires(`require('a'); require("b/c"); require( 'a' ); require(x); notrequire('z')`)).toEqual(['a', 'b/c']);
  });
});
