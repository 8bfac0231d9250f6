import { LocatedError, moduleUrl } from './errors';
import { PackageNotFoundError, PROCESS_SHIM } from './packages';
import { resolveSpecifier, type Resolution } from './resolve';
import { transpile, type Transpiled } from './transpile';

/**
 * The module registry. Each file is transpiled once per version of its text and
 * evaluated as CommonJS. An edit invalidates the edited modules and, transitively, the
 * modules that imported them (edges recorded while evaluating); everything else keeps
 * its exports, so a one-file edit costs one transpile plus re-running a short chain.
 */

export interface ModuleHost {
  requirePackage(specifier: string): unknown;
  /** Injects, replaces (css) or removes (null) the style of a CSS file. */
  applyStyle(path: string, css: string | null): void;
}

type Factory = (this: unknown, module: Instance, exports: unknown, require: (s: string) => unknown, process: unknown, global: unknown) => void;

interface Instance {
  exports: unknown;
}

interface ModuleRecord {
  source: string;
  transpiled: Transpiled | null;
  factory: Factory | null;
  instance: Instance | null;
  deps: Set<string>;
  importers: Set<string>;
}

export class ModuleGraph {
  private readonly records = new Map<string, ModuleRecord>();
  /** `from\0specifier` → resolution; valid while the set of paths is unchanged. */
  private readonly resolutions = new Map<string, Resolution>();
  /** Transpile calls made, for tests and the benchmark. */
  transpileCount = 0;

  constructor(private readonly host: ModuleHost) {}

  readonly exists = (path: string): boolean => this.records.has(path);
  readonly sourceOf = (path: string): string | undefined => this.records.get(path)?.source;
  isEvaluated = (path: string): boolean => this.records.get(path)?.instance != null;

  /** Replaces the file set; returns the paths added, edited or removed. */
  setFiles(files: Readonly<Record<string, string>>): string[] {
    const changed: string[] = [];
    let pathsChanged = false;
    for (const [path, record] of this.records) {
      if (!(path in files)) {
        changed.push(path);
        record.instance = null;
        this.invalidate(record.importers);
        if (record.transpiled?.kind === 'style') this.host.applyStyle(path, null);
        this.records.delete(path);
        pathsChanged = true;
      }
    }
    for (const [path, source] of Object.entries(files)) {
      const record = this.records.get(path);
      if (record && record.source === source) continue;
      changed.push(path);
      if (record) {
        record.source = source;
        record.transpiled = null;
        record.factory = null;
      } else {
        this.records.set(path, { source, transpiled: null, factory: null, instance: null, deps: new Set(), importers: new Set() });
        pathsChanged = true;
      }
    }
    if (pathsChanged) this.resolutions.clear();
    return changed;
  }

  /**
   * Drops the instances of `paths` and of every module that imported them. A plain CSS
   * file that is already applied is swapped in place instead: nothing imports its value.
   */
  invalidate(paths: Iterable<string>): void {
    const queue: string[] = [];
    for (const path of paths) {
      const record = this.records.get(path);
      if (record?.instance && path.endsWith('.css') && !path.endsWith('.module.css')) {
        this.host.applyStyle(path, record.source);
        continue;
      }
      queue.push(path);
    }
    const done = new Set<string>();
    while (queue.length > 0) {
      const path = queue.pop() as string;
      if (done.has(path)) continue;
      done.add(path);
      const record = this.records.get(path);
      if (!record?.instance) continue;
      record.instance = null;
      queue.push(...record.importers);
    }
  }

  /** Drops every instance and transpile (the naive baseline the benchmark compares with). */
  resetAll(): void {
    for (const record of this.records.values()) {
      record.instance = null;
      record.transpiled = null;
      record.factory = null;
    }
  }

  /**
   * Transpiles what `entry` reaches (cached per text) and returns the package specifiers
   * it needs. Throws the first TranspileError met.
   */
  prepare(entry: string): string[] {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const stack = [entry];
    while (stack.length > 0) {
      const path = stack.pop() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const transpiled = this.transpiled(path);
      if (!transpiled) continue;
      for (const specifier of transpiled.requires) {
        const resolved = this.resolve(path, specifier);
        if (resolved.kind === 'package') packages.add(specifier);
        else if (resolved.kind === 'file') stack.push(resolved.path);
      }
    }
    return [...packages];
  }

  /** Evaluates `entry` (a no-op when it is still evaluated). */
  run(entry: string): void {
    this.load(entry);
  }

  private resolve(from: string, specifier: string): Resolution {
    const key = `${from}\0${specifier}`;
    let resolved = this.resolutions.get(key);
    if (!resolved) {
      resolved = resolveSpecifier(from, specifier, this.exists);
      this.resolutions.set(key, resolved);
    }
    return resolved;
  }

  private transpiled(path: string): Transpiled | null {
    const record = this.records.get(path);
    if (!record) return null;
    if (!record.transpiled) {
      this.transpileCount++;
      record.transpiled = transpile(path, record.source);
    }
    return record.transpiled;
  }

  private load(path: string): unknown {
    const record = this.records.get(path);
    if (!record) throw new Error(`Module ${path} is not in the project`);
    if (record.instance) return record.instance.exports;
    const transpiled = this.transpiled(path) as Transpiled;
    for (const dep of record.deps) this.records.get(dep)?.importers.delete(path);
    record.deps.clear();
    const instance: Instance = { exports: {} };
    record.instance = instance;
    try {
      this.evaluate(path, record, transpiled, instance);
    } catch (error) {
      record.instance = null;
      throw error;
    }
    return instance.exports;
  }

  private evaluate(path: string, record: ModuleRecord, transpiled: Transpiled, instance: Instance): void {
    switch (transpiled.kind) {
      case 'script': {
        record.factory ??= (0, eval)(
          `(function (module, exports, require, process, global) {${transpiled.code}\n})\n//# sourceURL=${moduleUrl(path)}`,
        ) as Factory;
        const require = (specifier: string) => this.requireFrom(path, specifier);
        record.factory.call(instance.exports, instance, instance.exports, require, PROCESS_SHIM, globalThis);
        return;
      }
      case 'json':
        try {
          instance.exports = JSON.parse(transpiled.code) as unknown;
        } catch (error) {
          throw new LocatedError('SyntaxError', `${path}: ${(error as Error).message}`, path, 1, 1);
        }
        return;
      case 'style':
        this.host.applyStyle(path, transpiled.code);
        instance.exports = path.endsWith('.module.css') ? cssModuleClasses(transpiled.code) : {};
        return;
      case 'asset':
        instance.exports = path.endsWith('.svg') ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(transpiled.code)}` : transpiled.code;
        return;
    }
  }

  private requireFrom(from: string, specifier: string): unknown {
    const resolved = this.resolve(from, specifier);
    if (resolved.kind === 'file') {
      this.records.get(from)?.deps.add(resolved.path);
      this.records.get(resolved.path)?.importers.add(from);
      return this.load(resolved.path);
    }
    const at = locateImport(this.sourceOf(from) ?? '', specifier);
    if (resolved.kind === 'missing') {
      const tried = resolved.tried.slice(0, 3).join(', ');
      throw new LocatedError(
        'ModuleNotFoundError',
        `Could not find module "${specifier}" imported by ${from} (looked for ${tried}, …)`,
        from,
        at.line,
        at.column,
      );
    }
    try {
      return this.host.requirePackage(specifier);
    } catch (error) {
      if (error instanceof PackageNotFoundError) {
        throw new LocatedError('ModuleNotFoundError', `${error.message} (imported by ${from})`, from, at.line, at.column);
      }
      throw error;
    }
  }
}

/** Line and column (1-based) of the first quoted occurrence of `specifier`. */
export function locateImport(source: string, specifier: string): { line: number; column: number } {
  let index = -1;
  for (const quote of ["'", '"', '`']) {
    index = source.indexOf(`${quote}${specifier}${quote}`);
    if (index >= 0) break;
  }
  if (index < 0) return { line: 1, column: 1 };
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** `.module.css`: class names map to themselves (no scoping in the preview). */
function cssModuleClasses(css: string): Record<string, string> {
  const classes: Record<string, string> = {};
  for (const match of css.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) if (match[1]) classes[match[1]] = match[1];
  return classes;
}
