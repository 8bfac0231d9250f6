import type { PreviewDocument, RootTracker } from './dom';
import { toShowError } from './errors';
import type { ModuleGraph } from './modules';
import type { PackageStore } from './packages';
import type { RuntimeMessage } from './protocol';
import { resolveEntry } from './resolve';

/**
 * One compile, as sandpack-react expects it: `start` → (work) → exactly one `done`, last.
 * `status` messages are sent only while there is real waiting (first load, package
 * downloads): sandpack-react drops edits that arrive while the client status is not
 * `done`, so an instant incremental compile must not leave that state.
 */

export interface CompileRequest {
  files: Record<string, string>;
  template: string | null;
  externalResources: string[];
  /** Baseline for the benchmark: re-transpile and re-evaluate everything. */
  full: boolean;
}

export interface CompilerDeps {
  graph: ModuleGraph;
  packages: PackageStore;
  doc: PreviewDocument;
  roots: RootTracker;
  send: (message: RuntimeMessage) => void;
}

export class Compiler {
  private firstLoad = true;
  private succeeded = false;
  private entry: string | null = null;
  private running = false;
  private next: CompileRequest | null = null;
  private errorsThisCompile = 0;

  constructor(private readonly deps: CompilerDeps) {}

  /** Queues a compile; compiles never overlap and only the newest queued one runs. */
  compile(request: CompileRequest): void {
    this.next = request;
    if (!this.running) void this.drain();
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
    const { graph, packages, doc, roots, send } = this.deps;
    const firstLoad = this.firstLoad;
    this.firstLoad = false;
    this.errorsThisCompile = 0;
    send({ type: 'start', firstLoad });
    if (firstLoad) send({ type: 'status', status: 'transpiling' });
    try {
      const changed = graph.setFiles(request.files);
      const templateChanged = doc.setTemplate(request.files['/public/index.html'] ?? request.files['/index.html']);
      doc.addExternalResources(request.externalResources);
      const entry = resolveEntry(request.files['/package.json'], request.template, graph.exists);
      if (!entry) {
        throw new Error('No entry file: set "main" in package.json (for example "src/index.tsx") or add /index.tsx.');
      }
      if (request.full) graph.resetAll();
      else graph.invalidate(changed);
      if (entry !== this.entry || templateChanged) graph.invalidate([entry]);
      this.entry = entry;
      const needed = graph.prepare(entry);
      if (!packages.isReady(needed)) {
        if (!firstLoad) send({ type: 'status', status: 'installing-dependencies' });
        await packages.prefetch(needed);
      }
      if (!graph.isEvaluated(entry)) {
        if (firstLoad) send({ type: 'status', status: 'evaluating' });
        roots.unmountAll();
        doc.resetBody();
        graph.run(entry);
      }
      const failed = this.errorsThisCompile > 0;
      send({ type: 'done', compilatonError: failed });
      if (!failed && !this.succeeded) {
        this.succeeded = true;
        send({ type: 'success' });
      }
    } catch (error) {
      send(toShowError(error, graph.sourceOf));
      send({ type: 'done', compilatonError: true });
    }
  }
}
