import type { TypeCheck, TypeCheckError } from '@patchpad/shared';
import { newErrors, type LocatedError } from './typecheck-diff';
import { CheckTimeout, importsOf, ProjectService } from './typecheck-project';

/**
 * Check before review: after a patch applies, type-check the patched project and keep only
 * the errors the patch introduced. One warm language service per project (a bounded LRU per
 * worker process), so the second task of a project re-checks only what changed.
 *
 * Only the files the patch touched and the files that import them are checked, before and
 * after: an error a change causes shows up in the changed file or in a file that uses what
 * it exports (see affectedFiles). Errors before the patch are remembered per project state,
 * so a repair round does not check the original files again.
 */

type Files = Readonly<Record<string, string | null>>;

export interface TypeCheckRequest {
  /** Which project this is (tasks of one project share a warm service). */
  projectKey: string;
  before: Files;
  after: Files;
  /** Renamed files: new path → old path. */
  renamed?: ReadonlyMap<string, string>;
}

export interface TypeCheckerOptions {
  /** Projects kept warm per process. */
  maxProjects?: number;
  /** A check taking longer is skipped (the patch is still offered for review). */
  timeoutMs?: number;
}

const TS_FILE = /\.(tsx?|mts|cts)$/;
const EXTENSIONS = ['', '.ts', '.tsx', '.d.ts', '.mts', '.cts', '/index.ts', '/index.tsx'];

function resolveRelative(from: string, spec: string, exists: (p: string) => boolean): string | null {
  const parts = from.split('/').slice(0, -1);
  for (const p of spec.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  const base = parts.join('/').replace(/\.(m|c)?js$/, '');
  for (const ext of EXTENSIONS) if (exists(base + ext)) return base + ext;
  return null;
}

/**
 * The changed files and the files that import them. A change breaks its own file or a file
 * that uses what it exports; an importer of an importer breaks only when types flow on
 * through re-exports, so those are followed (`export ... from`) and plain imports are not:
 * following every chain would check most of a project for a one-line edit.
 */
export function affectedFiles(before: Files, after: Files): string[] {
  const all = new Set([...Object.keys(before), ...Object.keys(after)].filter((p) => TS_FILE.test(p)));
  const changed = [...all].filter((p) => before[p] !== after[p]);
  const exists = (p: string) => all.has(p);
  const importers = new Map<string, Set<string>>();
  const reexporters = new Set<string>();
  for (const path of all) {
    for (const text of new Set([before[path], after[path]])) {
      if (typeof text !== 'string') continue;
      if (/^\s*export\s+(\*|\{[^}]*\}|type\s+\{[^}]*\})\s+from\s/m.test(text)) reexporters.add(path);
      for (const spec of importsOf(text)) {
        if (!spec.startsWith('.')) continue;
        const target = resolveRelative(path, spec, exists);
        if (target === null) continue;
        if (!importers.has(target)) importers.set(target, new Set());
        importers.get(target)!.add(path);
      }
    }
  }
  const out = new Set(changed);
  const queue = [...changed];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const user of importers.get(file) ?? []) {
      if (out.has(user)) continue;
      out.add(user);
      if (reexporters.has(user)) queue.push(user);
    }
  }
  return [...out].sort();
}

function fingerprint(files: Files): string {
  return Object.keys(files)
    .sort()
    .map((k) => `${k}\u0000${files[k]?.length ?? -1}\u0000${files[k] ?? ''}`)
    .join('\u0001');
}

class Warm {
  /** Errors per file for the last project states seen (fingerprint → path → errors). */
  readonly known = new Map<string, Map<string, LocatedError[]>>();
  constructor(readonly service: ProjectService) {}

  errorsOf(files: Files, paths: readonly string[], deadline: number): LocatedError[] {
    const key = fingerprint(files);
    const cache = this.known.get(key) ?? new Map<string, LocatedError[]>();
    const missing = paths.filter((p) => !cache.has(p));
    if (missing.length > 0) {
      this.service.update(files);
      for (const p of missing) cache.set(p, []);
      for (const e of this.service.errors(missing, deadline)) cache.get(e.path)!.push(e);
    }
    this.known.delete(key);
    this.known.set(key, cache);
    while (this.known.size > 3) this.known.delete(this.known.keys().next().value!);
    return paths.flatMap((p) => cache.get(p) ?? []);
  }
}

export class TypeChecker {
  private readonly projects = new Map<string, Warm>();
  private readonly maxProjects: number;
  private readonly timeoutMs: number;

  constructor(options: TypeCheckerOptions = {}) {
    this.maxProjects = options.maxProjects ?? 4;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private warm(key: string): Warm {
    let w = this.projects.get(key);
    if (w) this.projects.delete(key);
    else w = new Warm(new ProjectService(key));
    this.projects.set(key, w);
    while (this.projects.size > this.maxProjects) {
      const [oldest, evicted] = this.projects.entries().next().value!;
      this.projects.delete(oldest);
      evicted.service.dispose();
    }
    return w;
  }

  check(req: TypeCheckRequest): TypeCheck {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const paths = affectedFiles(req.before, req.after);
    if (paths.length === 0) return { status: 'skipped', errors: [], reason: 'the patch changes no TypeScript file', ms: ms() };
    const w = this.warm(req.projectKey);
    const deadline = Date.now() + this.timeoutMs;
    try {
      // A path missing from one side (created, deleted, renamed) simply has no errors there.
      const before = w.errorsOf(req.before, paths, deadline);
      const after = w.errorsOf(req.after, paths, deadline);
      const fresh = newErrors(before, after, req.renamed).map(({ lineText: _lineText, ...e }): TypeCheckError => e);
      return { status: fresh.length === 0 ? 'passed' : 'new_errors', errors: fresh, ms: ms() };
    } catch (err) {
      if (err instanceof CheckTimeout) return { status: 'skipped', errors: [], reason: `the type-check took longer than ${this.timeoutMs} ms`, ms: ms() };
      throw err;
    }
  }

  dispose(): void {
    for (const w of this.projects.values()) w.service.dispose();
    this.projects.clear();
  }
}

/** How the errors read in a repair round: path:line:column, the code and the compiler's message. */
export function formatTypeErrors(errors: readonly TypeCheckError[], limit = 20): string[] {
  const shown = errors.slice(0, limit).map((e) => `${e.path}:${e.line}:${e.column} error TS${e.code}: ${e.message}`);
  if (errors.length > limit) shown.push(`... and ${errors.length - limit} more type errors`);
  return shown;
}
