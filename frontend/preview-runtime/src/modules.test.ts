import { describe, expect, it } from 'vitest';
import { LocatedError } from './errors';
import { planUpdate, type UpdatePlan } from './hot-plan';
import { locateImport, ModuleGraph } from './modules';
import { PackageNotFoundError } from './packages';
import { RefreshHost, type RefreshRuntime } from './refresh';

interface Log {
  runs: string[];
}

/** react-refresh's runtime, reduced to what the registry calls: components are capitalised functions. */
function fakeRefreshRuntime() {
  const calls = { registered: new Map<string, unknown>(), signatures: new Map<unknown, string>(), refreshes: 0 };
  const runtime: RefreshRuntime = {
    injectIntoGlobalHook: () => undefined,
    register: (type, id) => void calls.registered.set(id, type),
    setSignature: (type, key) => void calls.signatures.set(type, key),
    isLikelyComponentType: (t) => typeof t === 'function' && /^[A-Z]/.test(t.name),
    performReactRefresh: () => void calls.refreshes++,
  };
  return { runtime, calls };
}

/** A project whose modules record each evaluation in `globalThis.__log.runs`. */
function setup(packages: Record<string, unknown> = { react: { version: 'fake' } }) {
  const log: Log = { runs: [] };
  (globalThis as unknown as { __log: Log }).__log = log;
  const styles = new Map<string, string>();
  const refresh = new RefreshHost();
  const fake = fakeRefreshRuntime();
  refresh.install(fake.runtime, {});
  const graph = new ModuleGraph({
    requirePackage: (s) => {
      if (s in packages) return packages[s];
      throw new PackageNotFoundError(s, s, false);
    },
    applyStyle: (path, css) => (css === null ? styles.delete(path) : styles.set(path, css)),
    refresh,
  });
  const mod = (name: string, body: string) => `globalThis.__log.runs.push('${name}');\n${body}`;
  const files: Record<string, string> = {
    '/src/index.ts': mod('index', "import { App } from './App';\nimport './styles.css';\nimport { title } from './title';\nexport const out = App() + title;"),
    '/src/App.ts': mod('App', "import { leaf } from './leaf';\nimport { other } from './other';\nexport const App = () => leaf + other;"),
    '/src/leaf.ts': mod('leaf', "export const leaf = 'L1';"),
    '/src/other.ts': mod('other', "import data from './data.json';\nexport const other = data.value;"),
    '/src/title.ts': mod('title', "export const title = '!';"),
    '/src/data.json': '{"value": "-O1"}',
    '/src/styles.css': 'body { color: red }',
  };
  const entry = '/src/index.ts';
  /** What the compiler does with an edit (compiler.ts), without the DOM. */
  const compile = (next: Record<string, string>): UpdatePlan['kind'] => {
    const changed = graph.setFiles(next);
    graph.prepare(entry);
    const plan: UpdatePlan = graph.isEvaluated(entry) ? planUpdate(changed, graph) : { kind: 'full', reason: 'start' };
    if (plan.kind === 'hot' && graph.runAgain(plan.stale, plan.boundaries)) {
      refresh.perform();
      return 'hot';
    }
    if (plan.kind === 'none') return 'none';
    graph.resetInstances();
    graph.run(entry);
    return 'full';
  };
  return { graph, files, log, styles, mod, compile, calls: fake.calls };
}

describe('ModuleGraph', () => {
  it('evaluates each module once and wires imports, JSON and CSS', () => {
    const { graph, files, log, styles, compile } = setup();
    expect(compile(files)).toBe('full');
    expect(log.runs.sort()).toEqual(['App', 'index', 'leaf', 'other', 'title']);
    expect(styles.get('/src/styles.css')).toBe('body { color: red }');
    expect(graph.isEvaluated('/src/index.ts')).toBe(true);
    expect(graph.transpileCount).toBe(7);
    expect(graph.isBoundary('/src/App.ts')).toBe(true);
    expect(graph.isBoundary('/src/leaf.ts')).toBe(false);
  });

  it('re-runs an edited component module alone, then asks React to refresh', () => {
    const { graph, files, log, mod, compile, calls } = setup();
    compile(files);
    log.runs = [];
    const before = graph.transpileCount;
    const app = mod('App', "import { leaf } from './leaf';\nimport { other } from './other';\nexport const App = () => 'new ' + leaf + other;");
    expect(compile({ ...files, '/src/App.ts': app })).toBe('hot');
    expect(log.runs).toEqual(['App']);
    expect(graph.transpileCount - before).toBe(1);
    expect(calls.refreshes).toBe(1);
    expect(calls.registered.has('/src/App.ts App')).toBe(true);
  });

  it('re-runs a non-component module and its importers up to the nearest component module', () => {
    const { files, log, mod, compile } = setup();
    compile(files);
    log.runs = [];
    expect(compile({ ...files, '/src/leaf.ts': mod('leaf', "export const leaf = 'L2';") })).toBe('hot');
    expect(log.runs).toEqual(['App', 'leaf']);
  });

  it('runs the whole app again when a non-component change reaches the entry', () => {
    const { files, log, mod, compile } = setup();
    compile(files);
    log.runs = [];
    expect(compile({ ...files, '/src/title.ts': mod('title', "export const title = '?';") })).toBe('full');
    expect(log.runs.sort()).toEqual(['App', 'index', 'leaf', 'other', 'title']);
  });

  it('runs the whole app again when a component module starts exporting something else', () => {
    const { files, mod, compile } = setup();
    compile(files);
    const app = mod('App', "import { leaf } from './leaf';\nexport const App = () => leaf;\nexport const version = 2;");
    expect(compile({ ...files, '/src/App.ts': app })).toBe('full');
  });

  it('swaps an edited stylesheet in place without re-running anything', () => {
    const { files, log, styles, compile } = setup();
    compile(files);
    log.runs = [];
    compile({ ...files, '/src/styles.css': 'body { color: blue }' });
    expect(log.runs).toEqual([]);
    expect(styles.get('/src/styles.css')).toBe('body { color: blue }');
  });

  it('does nothing for an identical compile (sandpack may send one twice)', () => {
    const { graph, files, log, compile } = setup();
    compile(files);
    log.runs = [];
    const before = graph.transpileCount;
    compile({ ...files });
    expect(log.runs).toEqual([]);
    expect(graph.transpileCount).toBe(before);
  });

  it('re-runs the importers of a deleted file, which then fail at the import line', () => {
    const { graph, files, compile } = setup();
    compile(files);
    const { '/src/other.ts': _removed, ...rest } = files;
    let error: unknown;
    try {
      compile(rest);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LocatedError);
    expect(error).toMatchObject({ name: 'ModuleNotFoundError', path: '/src/App.ts', line: 3 });
    expect(graph.isEvaluated('/src/App.ts')).toBe(false);
    expect(graph.isEvaluated('/src/index.ts')).toBe(true); // the app keeps running until the import is fixed
  });

  it('names a missing package at its import line', () => {
    const { files, mod, compile } = setup();
    let error: unknown;
    try {
      compile({ ...files, '/src/leaf.ts': mod('leaf', "import x from 'left-pad';\nexport const leaf = x;") });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ModuleNotFoundError', path: '/src/leaf.ts', line: 2 });
    expect((error as Error).message).toContain('Could not find package "left-pad"');
    expect((error as Error).message).toContain('PREVIEW_PACKAGES');
  });

  it('retries a module that threw, once it is fixed', () => {
    const { files, log, mod, compile } = setup();
    expect(() => compile({ ...files, '/src/leaf.ts': mod('leaf', "throw new Error('nope');") })).toThrow('nope');
    log.runs = [];
    compile(files);
    // The whole app runs again (the first run never finished).
    expect(log.runs).toEqual(['index', 'App', 'leaf', 'other', 'title']);
  });

  it('in full mode re-transpiles and re-runs everything (the benchmark baseline)', () => {
    const { graph, files, log, compile } = setup();
    compile(files);
    log.runs = [];
    graph.resetAll();
    const before = graph.transpileCount;
    compile(files);
    expect(log.runs.sort()).toEqual(['App', 'index', 'leaf', 'other', 'title']);
    expect(graph.transpileCount - before).toBe(7);
  });
});

describe('locateImport', () => {
  it('finds the quoted specifier', () => {
    expect(locateImport('import a from \'a\';\nimport b from "pkg";', 'pkg')).toEqual({ line: 2, column: 15 });
    expect(locateImport('nothing', 'pkg')).toEqual({ line: 1, column: 1 });
  });
});
