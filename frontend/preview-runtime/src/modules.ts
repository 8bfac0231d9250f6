import { LocatedError, moduleUrl } from './errors';
import type { GraphView } from './hot-plan';
import { cssModuleClasses, locateImport } from './import-site';
import { PackageNotFoundError, PackageUnavailableError, PROCESS_SHIM } from './packages';
import { exportsOnlyComponents, registrationCode, topLevelComponentNames, type RefreshHost } from './refresh';
import { resolveSpecifier, type Resolution } from './resolve';
import { transpile, type Transpiled } from './transpile';

export { locateImport } from './import-site';

/**
 * The module registry. Each file is transpiled once per version of its text and
 * evaluated as CommonJS. Edges are recorded while evaluating, so an edit knows who
 * imported what: `hot-plan.ts` decides which modules run again, `runAgain` runs exactly
 * those, and every other module keeps its exports (React keeps its components' state).
 */

export interface ModuleHost {
  requirePackage(specifier: string): unknown;
  /** Injects, replaces (css) or removes (null) the style of a CSS file. */
  applyStyle(path: string, css: string | null): void;
  /** Fast Refresh registration; absent in tests and in the baseline mode. */
  refresh?: RefreshHost;
}

type Register = (value: unknown, name: string) => void;
type Factory = (
  this: unknown,
  module: Instance,
  exports: unknown,
  require: (s: string) => unknown,
  process: unknown,
  global: unknown,
  register: Register,
) => void;

interface Instance {
  exports: unknown;
}

interface ModuleRecord {
  source: string;
  transpiled: Transpiled | null;
  factory: Factory | null;
  instance: Instance | null;
  /** Its exports were all components when it last ran. */
  boundary: boolean;
  deps: Set<string>;
  importers: Set<string>;
}

export class ModuleGraph implements GraphView {
  private readonly records = new Map<string, ModuleRecord>();
  /** `from\0specifier` → resolution; valid while the set of paths is unchanged. */
  private readonly resolutions = new Map<string, Resolution>();
  /** Transpile calls and evaluations made, for tests and the benchmark. */
  transpileCount = 0;
  evaluationCount = 0;

  constructor(private readonly host: ModuleHost) {}

  readonly exists = (path: string): boolean => this.records.has(path);
  readonly sourceOf = (path: string): string | undefined => this.records.get(path)?.source;
  isEvaluated = (path: string): boolean => this.records.get(path)?.instance != null;
  isBoundary = (path: string): boolean => this.records.get(path)?.boundary === true;
  importersOf = (path: string): Iterable<string> => this.records.get(path)?.importers ?? [];

  /**
   * Replaces the file set; returns the paths whose modules are affected: added, edited,
   * and the importers of removed ones. A plain CSS file that is already applied is swapped
   * in place and not returned: nothing imports its value.
   */
  setFiles(files: Readonly<Record<string, string>>): string[] {
    const changed: string[] = [];
    let pathsChanged = false;
    for (const [path, record] of this.records) {
      if (!(path in files)) {
        changed.push(...record.importers);
        if (record.transpiled?.kind === 'style') this.host.applyStyle(path, null);
        for (const dep of record.deps) this.records.get(dep)?.importers.delete(path);
        this.records.delete(path);
        pathsChanged = true;
      }
    }
    for (const [path, source] of Object.entries(files)) {
      const record = this.records.get(path);
      if (record && record.source === source) continue;
      if (record) {
        record.source = source;
        record.transpiled = null;
        record.factory = null;
        if (record.instance && path.endsWith('.css') && !path.endsWith('.module.css')) {
          this.host.applyStyle(path, source);
          continue;
        }
      } else {
        this.records.set(path, { source, transpiled: null, factory: null, instance: null, boundary: false, deps: new Set(), importers: new Set() });
        pathsChanged = true;
      }
      changed.push(path);
    }
    if (pathsChanged) this.resolutions.clear();
    return changed.filter((path) => this.records.has(path));
  }

  /** Drops every instance (keeping transpiles): the next `run` evaluates the whole app again. */
  resetInstances(): void {
    for (const record of this.records.values()) {
      record.instance = null;
      record.boundary = false;
      record.deps.clear();
      record.importers.clear();
    }
  }

  /** Drops every instance and transpile (the naive baseline the benchmark compares with). */
  resetAll(): void {
    this.resetInstances();
    for (const record of this.records.values()) {
      record.transpiled = null;
      record.factory = null;
    }
  }

  /**
   * Runs `stale` again: their instances are dropped, then each of `roots` is loaded, which
   * evaluates the stale modules it reaches through `require` (dependencies first).
   * Returns whether every root still exports only components afterwards.
   */
  runAgain(stale: readonly string[], roots: readonly string[]): boolean {
    for (const path of stale) {
      const record = this.records.get(path);
      if (record) record.instance = null;
    }
    for (const root of roots) this.load(root);
    return roots.every((root) => this.isBoundary(root));
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
    this.evaluationCount++;
    try {
      this.evaluate(path, record, transpiled, instance);
    } catch (error) {
      record.instance = null;
      record.boundary = false;
      throw error;
    }
    const refresh = this.host.refresh;
    if (refresh?.active && transpiled.kind === 'script') {
      refresh.registerExports(path, instance.exports);
      record.boundary = exportsOnlyComponents(instance.exports, refresh.isComponent);
    } else {
      record.boundary = false;
    }
    return instance.exports;
  }

  private evaluate(path: string, record: ModuleRecord, transpiled: Transpiled, instance: Instance): void {
    switch (transpiled.kind) {
      case 'script': {
        const refresh = this.host.refresh;
        const registration = refresh?.active ? registrationCode(topLevelComponentNames(record.source)) : '';
        record.factory ??= (0, eval)(
          `(function (module, exports, require, process, global, __pp$register) {${transpiled.code}${registration}\n})\n//# sourceURL=${moduleUrl(path)}`,
        ) as Factory;
        const require = (specifier: string) => this.requireFrom(path, specifier);
        const register: Register = (value, name) => refresh?.register(path, name, value);
        record.factory.call(instance.exports, instance, instance.exports, require, PROCESS_SHIM, globalThis, register);
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
      if (error instanceof PackageNotFoundError || error instanceof PackageUnavailableError) {
        throw new LocatedError('ModuleNotFoundError', `${error.message} (imported by ${from})`, from, at.line, at.column);
      }
      throw error;
    }
  }
}
