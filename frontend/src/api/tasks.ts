import type { CreateTaskBody, TaskView } from '@patchpad/shared';
import { ApiError, type Api } from './client';

/** A lost answer, not a refusal: the request may or may not have reached the server. */
function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 502 || err.status === 503 || err.status === 504;
  return err instanceof TypeError; // fetch's network failure
}

/**
 * Creates a task. When the answer is lost (a network error, 502/503/504) it asks again with
 * the same Idempotency-Key, so the server returns the task the first try created, or finishes
 * creating it, instead of making a second one. Refusals (4xx, e.g. a 429 naming a limit) are
 * not retried: the caller shows them.
 */
export async function submitTask(api: Api, body: CreateTaskBody, signal: AbortSignal, { tries = 4, baseMs = 500 } = {}): Promise<TaskView> {
  const key = crypto.randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return (await api.post<{ task: TaskView }>('/api/agent/tasks', body, { 'Idempotency-Key': key })).task;
    } catch (err) {
      if (signal.aborted || attempt >= tries || !isTransient(err)) throw err;
      await new Promise((r) => setTimeout(r, baseMs * 2 ** (attempt - 1)));
    }
  }
}
