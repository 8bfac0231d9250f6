import type { PreviewDocument, RootTracker } from './dom';
import { toShowError } from './errors';
import { planUpdate, type UpdatePlan } from './hot-plan';
import type { ModuleGraph } from './modules';
import type { PackageStore, Ranges } from './packages';
import type { RuntimeMessage } from './protocol';
import { REFRESH_SPECIFIER, type RefreshHost, type RefreshRuntime } from './refresh';
import { resolveEntry } from './resolve';

/**
 * One compile, as sandpack-react expects it: `start` → (work) → exactly one `done`, last.
 * `status` messages are sent only while there is real waiting (first load, package
 * downloads): sandpack-react drops edits that arrive while the client status is not
 * `done`, so an instant incremental compile must not leave that state.
 *
 * An edit is applied with Fast Refresh when it can be (see hot-plan.ts): the edited
 * modules and the importers that must change run again, then React re-renders the
 * components that changed and keeps their state. Otherwise the app runs again from its
 * entry (first load, entry or template changed, a change no module can take, or the
 * previous compile failed while running code).
 */

export interface CompileRequest {
  files: Record<string, string>;
  template: string | null;
  externalResources: string[];
  /** Baseline for the benchmark: re-transpile and re-evaluate everything. */
  full: boolean;
  /** An early edit from Patchpad's IDE: applied without start/status/done (Sandpack's compile follows). */
  silent?: boolean;
}

export interface CompilerDeps {
  graph: ModuleGraph;
  packages: PackageStore;
  doc: PreviewDocument;
  roots: RootTracker;
  refresh: RefreshHost;
  send: (message: RuntimeMessage) => void;
  /** Where react-refresh hooks into React (the preview's window). */
  globalObject: object;
}

export class Compiler {
  private firstLoad = true;
  private succeeded = false;
  private entry: string | null = null;
  private running = false;
  private next: CompileRequest | null = null;
  private latest: CompileRequest | null = null;
  private errorsThisCompile = 0;
  /** Set when code ran and failed: the next compile starts the app afresh. */
  private needsFullRun = true;
  /** Changes not yet applied (a compile that failed before running code keeps them). */
  private readonly pending = new Set<string>();
  private packageJson: string | undefined;
  /** How the last compile was applied, for tests and the benchmark. */
  lastUpdate: UpdatePlan['kind'] | 'error' = 'none';

  constructor(private readonly deps: CompilerDeps) {}

  /** Queues a compile; compiles never overlap and only the newest queued one runs. */
  compile(request: CompileRequest): void {
    this.latest = request;
    // A queued Sandpack compile must still answer start/done: an early edit joins it instead.
    this.next = request.silent && this.next && !this.next.silent ? { ...this.next, files: request.files } : request;
    if (!this.running) void this.drain();
  }

  /** Applies an edit's changed files on top of the newest compile (none yet: Sandpack's will carry them). */
  patch(changed: Record<string, string>, deleted: readonly string[]): void {
    if (!this.latest) return;
    const files = { ...this.latest.files, ...changed };
    for (const path of deleted) delete files[path];
    this.compile({ ...this.latest, files, silent: true });
  }

  /** A runtime error outside a compile (React render, timers, promises). */
  reportRuntimeError(error: unknown): void {
    if (this.running) this.errorsThisCompile++;
    this.deps.send(toShowError(error, this.deps.graph.sourceOf));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.next) {
        const request = this.next;
        this.next = null;
        await this.run(request);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(request: CompileRequest): Promise<void> {
    const { graph, doc } = this.deps;
    // An early edit reports errors only: Sandpack's own compile, which follows, gets start/done.
    const send = request.silent ? (m: RuntimeMessage) => m.type === 'action' && this.deps.send(m) : this.deps.send;
    const firstLoad = this.firstLoad;
    this.firstLoad = false;
    this.errorsThisCompile = 0;
    send({ type: 'start', firstLoad });
    if (firstLoad) send({ type: 'status', status: 'transpiling' });
    let ranCode = false;
    try {
      for (const path of graph.setFiles(request.files)) this.pending.add(path);
      const templateChanged = doc.setTemplate(request.files['/public/index.html'] ?? request.files['/index.html']);
      doc.addExternalResources(request.externalResources);
      const entry = resolveEntry(request.files['/package.json'], request.template, graph.exists);
      if (!entry) {
        throw new Error('No entry file: set "main" in package.json (for example "src/index.tsx") or add /index.tsx.');
      }
      if (request.full) graph.resetAll();
      const fullRun = request.full || this.needsFullRun || entry !== this.entry || templateChanged || !graph.isEvaluated(entry);
      this.entry = entry;
      if (request.files['/package.json'] !== this.packageJson) {
        this.packageJson = request.files['/package.json'];
        this.deps.packages.clearFailures();
      }
      await this.loadPackages(graph.prepare(entry), dependencyRanges(this.packageJson), firstLoad, send);
      if (firstLoad) send({ type: 'status', status: 'evaluating' });
      ranCode = true;
      this.lastUpdate = this.apply(fullRun ? { kind: 'full', reason: 'start' } : planUpdate(this.pending, graph), entry);
      this.pending.clear();
      const failed = this.errorsThisCompile > 0;
      this.needsFullRun = failed;
      send({ type: 'done', compilatonError: failed });
      if (!failed && !this.succeeded) {
        this.succeeded = true;
        send({ type: 'success' });
      }
    } catch (error) {
      if (ranCode) this.needsFullRun = true;
      this.lastUpdate = 'error';
      send(toShowError(error, graph.sourceOf));
      send({ type: 'done', compilatonError: true });
    }
  }

  /** Fetches the packages the app needs (and react-refresh before React is first evaluated). */
  private async loadPackages(needed: string[], ranges: Ranges, firstLoad: boolean, send: (m: RuntimeMessage) => void): Promise<void> {
    const { packages, refresh } = this.deps;
    const wanted = refresh.active ? needed : [REFRESH_SPECIFIER, ...needed];
    if (!packages.isReady(wanted)) {
      if (!firstLoad) send({ type: 'status', status: 'installing-dependencies' });
      await packages.prefetch(wanted, ranges);
    }
    if (!refresh.active) refresh.install(packages.require(REFRESH_SPECIFIER) as RefreshRuntime, this.deps.globalObject);
  }

  private apply(plan: UpdatePlan, entry: string): UpdatePlan['kind'] {
    const { graph, refresh } = this.deps;
    if (plan.kind === 'none') return 'none';
    if (plan.kind === 'hot' && graph.runAgain(plan.stale, plan.boundaries)) {
      refresh.perform();
      return 'hot';
    }
    this.runFromEntry(entry);
    return 'full';
  }

  private runFromEntry(entry: string): void {
    const { graph, doc, roots, refresh } = this.deps;
    graph.resetInstances();
    roots.unmountAll();
    doc.resetBody();
    graph.run(entry);
    // Components registered again by this run are new mounts, not updates to apply later.
    refresh.perform();
  }
}

/** The versions package.json asks for (dependencies win over dev and peer dependencies). */
export function dependencyRanges(packageJson: string | undefined): Ranges {
  try {
    const parsed = JSON.parse(packageJson ?? '{}') as Record<string, unknown>;
    const ranges: Record<string, string> = {};
    for (const field of ['peerDependencies', 'devDependencies', 'dependencies']) {
      const deps = parsed[field];
      if (typeof deps !== 'object' || deps === null) continue;
      for (const [name, range] of Object.entries(deps)) if (typeof range === 'string') ranges[name] = range;
    }
    return ranges;
  } catch {
    return {};
  }
}
