import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { isOrigin, parseParentMessage } from './protocol';

describe('parseParentMessage', () => {
  it('accepts register-frame only with an origin and an id', () => {
    expect(parseParentMessage({ type: 'register-frame', origin: 'http://localhost:5173', id: 7 })).toEqual({
      type: 'register-frame',
      origin: 'http://localhost:5173',
      id: 7,
    });
    expect(parseParentMessage({ type: 'register-frame', origin: 'http://localhost:5173/path', id: 7 })).toBeNull();
    expect(parseParentMessage({ type: 'register-frame', origin: 'javascript:alert(1)', id: 7 })).toBeNull();
    expect(parseParentMessage({ type: 'register-frame', origin: 'http://localhost:5173' })).toBeNull();
  });

  it('normalises a compile and keeps only what the runtime uses', () => {
    const message = parseParentMessage({
      type: 'compile',
      codesandbox: true,
      $id: 3,
      modules: { '/src/a.ts': { code: 'x', path: '/src/a.ts' }, 'b.ts': { code: 'y', path: 'b.ts' } },
      template: 'create-react-app',
      externalResources: ['https://x/y.css', 5],
      isInitializationCompile: true,
      bundlerURL: 'http://127.0.0.1:5174/?mode=full',
    });
    expect(message).toEqual({
      type: 'compile',
      modules: { '/src/a.ts': { code: 'x', path: '/src/a.ts' }, '/b.ts': { code: 'y', path: '/b.ts' } },
      template: 'create-react-app',
      externalResources: ['https://x/y.css'],
      showErrorScreen: true,
      isInitializationCompile: true,
      bundlerURL: 'http://127.0.0.1:5174/?mode=full',
    });
  });

  it('rejects malformed or unknown messages', () => {
    for (const bad of [null, 'compile', [], {}, { type: 'compile' }, { type: 'compile', modules: { '/a': { code: 1 } } }, { type: 'evil' }]) {
      expect(parseParentMessage(bad)).toBeNull();
    }
    expect(parseParentMessage({ type: 'refresh', extra: 1 })).toEqual({ type: 'refresh' });
  });
});

describe('isOrigin / parseConfig', () => {
  it('accepts only bare http(s) origins', () => {
    expect(isOrigin('https://ide.example.com')).toBe(true);
    expect(isOrigin('http://localhost:5173')).toBe(true);
    expect(isOrigin('http://localhost:5173/')).toBe(false);
    expect(isOrigin('file:///x')).toBe(false);
    expect(isOrigin('nonsense')).toBe(false);
  });

  it('reads the allowed parents, ignoring junk', () => {
    expect(parseConfig('{"allowedParentOrigins":["http://localhost:5173","bad",3]}')).toEqual({ allowedParentOrigins: ['http://localhost:5173'] });
    expect(parseConfig('{"allowedParentOrigins":null}')).toEqual({ allowedParentOrigins: null });
    expect(parseConfig('')).toEqual({ allowedParentOrigins: null });
    expect(parseConfig('{oops')).toEqual({ allowedParentOrigins: null });
  });
});
