import { describe, expect, it } from 'vitest';
import { LocatedError } from './errors';
import { locateImport, ModuleGraph } from './modules';
import { PackageNotFoundError } from './packages';

interface Log {
  runs: string[];
}

/** A project whose modules record each evaluation in `globalThis.__runs`. */
function setup(packages: Record<string, unknown> = { react: { version: 'fake' } }) {
  const log: Log = { runs: [] };
  (globalThis as unknown as { __log: Log }).__log = log;
  const styles = new Map<string, string>();
  const graph = new ModuleGraph({
    requirePackage: (s) => {
      if (s in packages) return packages[s];
      throw new PackageNotFoundError(s, s, false);
    },
    applyStyle: (path, css) => (css === null ? styles.delete(path) : styles.set(path, css)),
  });
  const mod = (name: string, body: string) => `globalThis.__log.runs.push('${name}');\n${body}`;
  const files: Record<string, string> = {
    '/src/index.ts': mod('index', "import { App } from './App';\nimport './styles.css';\nexport const out = App();"),
    '/src/App.ts': mod('App', "import { leaf } from './leaf';\nimport { other } from './other';\nexport const App = () => leaf + other;"),
    '/src/leaf.ts': mod('leaf', "export const leaf = 'L1';"),
    '/src/other.ts': mod('other', "import data from './data.json';\nexport const other = data.value;"),
    '/src/data.json': '{"value": "-O1"}',
    '/src/styles.css': 'body { color: red }',
  };
  const compile = (next: Record<string, string>) => {
    graph.invalidate(graph.setFiles(next));
    graph.prepare('/src/index.ts');
    graph.run('/src/index.ts');
  };
  return { graph, files, log, styles, mod, compile };
}

describe('ModuleGraph', () => {
  it('evaluates each module once and wires imports, JSON and CSS', () => {
    const { graph, files, log, styles, compile } = setup();
    compile(files);
    expect(log.runs.sort()).toEqual(['App', 'index', 'leaf', 'other']);
    expect(styles.get('/src/styles.css')).toBe('body { color: red }');
    expect(graph.isEvaluated('/src/index.ts')).toBe(true);
    expect(graph.transpileCount).toBe(6);
  });

  it('re-transpiles only the edited file and re-runs it and its importers', () => {
    const { graph, files, log, mod, compile } = setup();
    compile(files);
    log.runs = [];
    const before = graph.transpileCount;
    compile({ ...files, '/src/leaf.ts': mod('leaf', "export const leaf = 'L2';") });
    expect(log.runs).toEqual(['index', 'App', 'leaf']);
    expect(graph.transpileCount - before).toBe(1);
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
    expect(graph.isEvaluated('/src/index.ts')).toBe(false);
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
    // The chain that failed runs again; `other` never ran because App stopped at `leaf`.
    expect(log.runs).toEqual(['index', 'App', 'leaf', 'other']);
  });

  it('in full mode re-transpiles and re-runs everything (the benchmark baseline)', () => {
    const { graph, files, log, compile } = setup();
    compile(files);
    log.runs = [];
    graph.resetAll();
    compile(files);
    expect(log.runs.sort()).toEqual(['App', 'index', 'leaf', 'other']);
  });
});

describe('locateImport', () => {
  it('finds the quoted specifier', () => {
    expect(locateImport('import a from \'a\';\nimport b from "pkg";', 'pkg')).toEqual({ line: 2, column: 15 });
    expect(locateImport('nothing', 'pkg')).toEqual({ line: 1, column: 1 });
  });
});
