import { describe, expect, it } from 'vitest';
import { Compiler, dependencyRanges, type CompilerDeps } from './compiler';
import type { PreviewDocument, RootTracker } from './dom';
import { ModuleGraph } from './modules';
import type { PackageStore } from './packages';
import type { RuntimeMessage } from './protocol';
import { RefreshHost, type RefreshRuntime } from './refresh';

/** The compiler against a real module graph, with the DOM and package cache stood in. */
function setup() {
  const sent: RuntimeMessage[] = [];
  const refresh = new RefreshHost();
  const runtime: RefreshRuntime = {
    injectIntoGlobalHook: () => undefined,
    register: () => undefined,
    setSignature: () => undefined,
    isLikelyComponentType: (t) => typeof t === 'function' && /^[A-Z]/.test(t.name),
    performReactRefresh: () => null,
  };
  const graph = new ModuleGraph({ requirePackage: () => ({}), applyStyle: () => undefined, refresh });
  const packages = { isReady: () => true, prefetch: async () => [], require: () => runtime, clearFailures: () => undefined } as unknown as PackageStore;
  const doc = { setTemplate: () => false, addExternalResources: () => undefined, resetBody: () => undefined } as unknown as PreviewDocument;
  const roots = { unmountAll: () => undefined } as unknown as RootTracker;
  const deps: CompilerDeps = { graph, packages, doc, roots, refresh, globalObject: {}, send: (m) => sent.push(m) };
  const compiler = new Compiler(deps);
  const files = (text: string) => ({
    '/package.json': '{"main":"src/index.js"}',
    '/src/index.js': "require('./App');",
    '/src/App.js': `exports.App = function App() { return ${JSON.stringify(text)}; };`,
  });
  const request = (text: string) => ({ files: files(text), template: null, externalResources: [], full: false });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  const types = () => sent.map((m) => (m.type === 'status' ? `status:${m.status}` : m.type));
  return { compiler, sent, request, files, settle, types };
}

describe('Compiler', () => {
  it('answers each Sandpack compile with start … done, last, and applies an edit with Fast Refresh', async () => {
    const { compiler, request, settle, types, sent } = setup();
    compiler.compile(request('one'));
    await settle();
    expect(types()).toEqual(['start', 'status:transpiling', 'status:evaluating', 'done', 'success']);
    expect(compiler.lastUpdate).toBe('full');
    sent.length = 0;
    compiler.compile(request('two'));
    await settle();
    expect(types()).toEqual(['start', 'done']);
    expect(compiler.lastUpdate).toBe('hot');
  });

  it('applies an early edit (pp:files) silently, and the Sandpack compile after it finds nothing to do', async () => {
    const { compiler, request, settle, types, sent } = setup();
    compiler.compile(request('one'));
    await settle();
    sent.length = 0;
    compiler.patch({ '/src/App.js': 'exports.App = function App() { return "two"; };' }, []);
    await settle();
    expect(types()).toEqual([]);
    expect(compiler.lastUpdate).toBe('hot');
    compiler.compile(request('two'));
    await settle();
    expect(types()).toEqual(['start', 'done']);
    expect(compiler.lastUpdate).toBe('none');
  });

  it('never drops the start/done of a queued Sandpack compile when an early edit arrives behind it', async () => {
    const { compiler, request, settle, types, sent } = setup();
    compiler.compile(request('one')); // running (its first step awaits)
    compiler.compile(request('two')); // queued: must still be answered
    compiler.patch({ '/src/App.js': 'exports.App = function App() { return "three"; };' }, []);
    await settle();
    expect(types().filter((t) => t === 'start')).toHaveLength(2);
    expect(types().filter((t) => t === 'done')).toHaveLength(2);
    expect(sent.at(-1)?.type === 'done' || sent.at(-1)?.type === 'success').toBe(true);
  });

  it('reports an early edit that fails, and the Sandpack compile reports it again inside start … done', async () => {
    const { compiler, request, settle, types, sent } = setup();
    compiler.compile(request('one'));
    await settle();
    sent.length = 0;
    compiler.patch({ '/src/App.js': 'exports.App = function App() { return (; };' }, []);
    await settle();
    expect(types()).toEqual(['action']);
    sent.length = 0;
    compiler.compile({ ...request('x'), files: { ...request('x').files, '/src/App.js': 'exports.App = function App() { return (; };' } });
    await settle();
    expect(types()).toEqual(['start', 'action', 'done']);
  });
});

describe('dependencyRanges', () => {
  it('reads dependencies over dev and peer dependencies, and survives a broken package.json', () => {
    expect(dependencyRanges(JSON.stringify({ dependencies: { a: '^1' }, devDependencies: { a: '^0', b: '2' }, peerDependencies: { c: '*' } }))).toEqual({
      a: '^1',
      b: '2',
      c: '*',
    });
    expect(dependencyRanges('{ nope')).toEqual({});
    expect(dependencyRanges(undefined)).toEqual({});
  });
});
