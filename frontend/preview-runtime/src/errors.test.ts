import { describe, expect, it } from 'vitest';
import { codeExcerpt, LocatedError, moduleUrl, parseStack, toShowError } from './errors';
import { TranspileError } from './transpile';

const sources: Record<string, string> = { '/src/App.tsx': 'line1\nline2\nline3\nline4\nline5\n' };
const sourceOf = (p: string) => sources[p];

describe('parseStack', () => {
  it('reads Chrome and Firefox frames', () => {
    const stack = `TypeError: x\n    at App (${moduleUrl('/src/App.tsx')}:3:9)\n    at pp-module:///src/index.tsx:7:1\n    at render (http://127.0.0.1:5174/packages/x/client.js:1:200)\nApp@${moduleUrl('/src/App.tsx')}:4:2`;
    expect(parseStack(stack)).toEqual([
      { functionName: 'App', file: 'pp-module:///src/App.tsx', line: 3, column: 9 },
      { functionName: null, file: 'pp-module:///src/index.tsx', line: 7, column: 1 },
      { functionName: 'render', file: 'http://127.0.0.1:5174/packages/x/client.js', line: 1, column: 200 },
      { functionName: 'App', file: 'pp-module:///src/App.tsx', line: 4, column: 2 },
    ]);
  });
});

describe('toShowError', () => {
  it('shows a syntax error as a message naming the file, with an excerpt', () => {
    const m = toShowError(new TranspileError('/src/App.tsx', 'Unexpected token', 3, 2), sourceOf);
    expect(m).toMatchObject({ type: 'action', action: 'show-error', title: 'SyntaxError', path: '/src/App.tsx', line: 3, column: 2 });
    expect(m.message).toBe('/src/App.tsx: Unexpected token (3:2)\n\n  1 | line1\n  2 | line2\n> 3 | line3\n    |  ^\n  4 | line4\n  5 | line5');
  });

  it('locates a runtime error at its first frame in user code', () => {
    const error = new TypeError('boom');
    error.stack = `TypeError: boom\n    at x (http://127.0.0.1/packages/react.js:1:1)\n    at App (${moduleUrl('/src/App.tsx')}:2:5)`;
    const m = toShowError(error, sourceOf);
    expect(m).toMatchObject({ title: 'TypeError', message: 'boom', path: '/src/App.tsx', line: 2, column: 5 });
    expect(m.payload.frames[0]).toMatchObject({ _originalFileName: '/src/App.tsx', _originalLineNumber: 2, _originalColumnNumber: 5 });
    expect(m.payload.frames[0]?._originalScriptCode.find((l) => l.highlight)).toEqual({ lineNumber: 2, content: 'line2', highlight: true });
  });

  it('puts a located error (a failed import) first', () => {
    const m = toShowError(new LocatedError('ModuleNotFoundError', 'Could not find package "x"', '/src/App.tsx', 1, 8), sourceOf);
    expect(m).toMatchObject({ title: 'ModuleNotFoundError', path: '/src/App.tsx', line: 1, column: 8 });
  });

  it('copes with thrown non-errors and errors without user frames', () => {
    expect(toShowError('plain', sourceOf)).toMatchObject({ title: 'Error', message: 'plain', path: '', line: 0, payload: { frames: [] } });
    expect(toShowError({ code: 1 }, sourceOf).message).toBe('Uncaught {"code":1}');
  });
});

describe('codeExcerpt', () => {
  it('clamps at the file edges', () => {
    expect(codeExcerpt('a\nb', 1).map((l) => l.lineNumber)).toEqual([1, 2]);
    expect(codeExcerpt(undefined, 3)).toEqual([]);
  });
});
