import { parentPort } from 'node:worker_threads';
import { TypeChecker, type TypeCheckRequest } from './typecheck';

/**
 * A worker thread that type-checks: the compiler's work (tens to hundreds of milliseconds of
 * synchronous CPU per check) happens here, not on the worker process's event loop, which
 * keeps streaming every other task's answer meanwhile. Warm projects live in this thread.
 */
const checker = new TypeChecker();

parentPort!.on('message', ({ id, request }: { id: number; request: TypeCheckRequest }) => {
  try {
    parentPort!.postMessage({ id, result: checker.check(request) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
