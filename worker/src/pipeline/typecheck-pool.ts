import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TypeCheck } from '@patchpad/shared';
import type { TypeChecker, TypeCheckRequest } from './typecheck';

/** What the pipeline asks of a type-checker. */
export interface TypeCheckService {
  check(request: TypeCheckRequest): Promise<TypeCheck>;
}

/** A checker in this thread (tests, benchmarks): the same answers, on the caller's loop. */
export function inThread(checker: TypeChecker): TypeCheckService {
  return { check: async (request) => checker.check(request) };
}

type Pending = { thread: Worker; resolve: (r: TypeCheck) => void; reject: (e: Error) => void };

/**
 * Type-checks in worker threads, so the worker process's event loop never waits on the
 * compiler. A project always goes to the same thread, which keeps it warm; one thread per
 * core but the first (the event loop's), at least one, at most `max`.
 */
export class ThreadedTypeChecker implements TypeCheckService {
  private readonly threads: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(max = 2) {
    const count = Math.max(1, Math.min(max, cpus().length - 1));
    for (let i = 0; i < count; i++) this.threads.push(this.spawn());
  }

  private spawn(): Worker {
    // A plain-JS entry registers tsx's loader in the thread, then runs the TypeScript entry.
    const thread = new Worker(new URL('./typecheck-thread.mjs', import.meta.url));
    thread.unref();
    thread.on('message', ({ id, result, error }: { id: number; result?: TypeCheck; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(result!);
    });
    thread.on('error', (err) => {
      // A thread that dies takes its calls with it: they fail (the step records the check as
      // skipped) and a fresh thread takes its place.
      for (const [id, waiting] of this.pending) {
        if (waiting.thread !== thread) continue;
        this.pending.delete(id);
        waiting.reject(err);
      }
      const at = this.threads.indexOf(thread);
      if (at !== -1) this.threads[at] = this.spawn();
    });
    return thread;
  }

  check(request: TypeCheckRequest): Promise<TypeCheck> {
    const id = this.next++;
    const thread = this.threads[hash(request.projectKey) % this.threads.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { thread, resolve, reject });
      thread.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** For a deployment that turned the check off: every patch is recorded as not checked, and why. */
export const typeCheckOff: TypeCheckService = {
  check: async () => ({ status: 'skipped', errors: [], reason: 'type-checking is turned off for this deployment (TYPECHECK_PATCHES=off)', ms: 0 }),
};

let processChecker: ThreadedTypeChecker | undefined;

/** The worker process's checker threads, shared by every task it runs. */
export function defaultTypeChecker(): TypeCheckService {
  processChecker ??= new ThreadedTypeChecker();
  return processChecker;
}
