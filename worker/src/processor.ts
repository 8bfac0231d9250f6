import { UnrecoverableError, type Job } from 'bullmq';
import { agentJobSchema, type AgentJob, type TaskEvent, type TaskRecord } from '@patchpad/shared';
import { TaskStateError, type TaskStore } from '@patchpad/shared/server';
import type { Logger } from 'pino';
import type { GatewayClient } from './gateway-client';
import { TaskCancelled, TaskFailure } from './errors';
import { runTask, type RunDeps } from './pipeline/run';
import { PhaseClock } from './pipeline/phases';

export type ProcessorDeps = {
  store: TaskStore;
  gateway: GatewayClient;
  /** The model for tasks that name none (asked per task: the gateway's list can change). */
  defaultModel: () => Promise<string | null>;
  maxRepairs: number;
  log: Logger;
  /** The model's context window and answer limit (see RunDeps). */
  modelLimits?: RunDeps['modelLimits'];
  /** Type-checks patched projects; the process's checker threads when not given. */
  typecheck?: RunDeps['typecheck'];
  /** How often a running task checks whether the user cancelled it. */
  cancelPollMs?: number;
};

/**
 * The BullMQ processor: claims the task (queued → processing), runs the pipeline and writes
 * the outcome. A retryable failure with attempts left goes back to BullMQ; anything else
 * ends the task as failed, once, with a message for the user.
 */
export function createProcessor(deps: ProcessorDeps) {
  return async (job: Job<AgentJob>): Promise<void> => {
    const { uid, taskId } = agentJobSchema.parse(job.data);
    const log = deps.log.child({ taskId, uid, jobAttempt: job.attemptsMade + 1 });
    const pickedUp = performance.now();
    // One round trip for the record and its input; the input is gone only if it expired.
    const record = await deps.store.load(uid, taskId);
    const current = record ?? (await deps.store.get(uid, taskId));
    if (!current) throw new UnrecoverableError(`task ${taskId} has no record (expired?)`);
    if (current.status !== 'queued' && current.status !== 'processing') {
      log.info({ status: current.status }, 'skipping task that is no longer pending');
      return;
    }
    if (!record) {
      const error = { code: 'input_expired', message: 'This task waited so long that its input files expired; please send it again.' };
      await deps.store
        .transition(
          { ...current, status: 'failed', error },
          [
            { type: 'error', error },
            { type: 'status', status: 'failed' },
          ],
          ['queued', 'processing'],
        )
        .catch((e: unknown) => {
          if (!(e instanceof TaskStateError)) throw e;
        });
      throw new UnrecoverableError(error.message);
    }
    const processing: TaskRecord = { ...record, status: 'processing' };
    try {
      await deps.store.transition(processing, [{ type: 'status', status: 'processing' }], ['queued', 'processing']);
    } catch (err) {
      if (err instanceof TaskStateError) return log.info({ status: err.current }, 'task changed before it started');
      throw err;
    }
    // Queue wait on the wall clock (the API stamped createdAt); the rest on this process's clock.
    const clock = new PhaseClock(pickedUp, { queue: Math.max(0, Date.now() - (performance.now() - pickedUp) - Date.parse(record.createdAt)) });
    clock.lap('claim');

    const abort = new AbortController();
    const watcher = setInterval(async () => {
      const current = await deps.store.get(uid, taskId).catch(() => null);
      if (current?.status === 'cancelled') abort.abort(new TaskCancelled());
    }, deps.cancelPollMs ?? 1000);
    try {
      const emit = (event: TaskEvent) => deps.store.appendEvent(uid, taskId, event);
      const done = await runTask(
        processing,
        {
          gateway: deps.gateway,
          maxRepairs: deps.maxRepairs,
          emit,
          defaultModel: await deps.defaultModel(),
          log,
          ...(deps.modelLimits ? { modelLimits: deps.modelLimits } : {}),
          ...(deps.typecheck ? { typecheck: deps.typecheck } : {}),
        },
        abort.signal,
        clock,
      );
      await deps.store.transition(
        done,
        [
          { type: 'result', result: done.result!, metrics: done.metrics },
          { type: 'status', status: 'done' },
        ],
        ['processing'],
      );
      log.info({ files: done.result?.filesModified.length, metrics: done.metrics }, 'task done');
    } catch (err) {
      await settleFailure(err, job, processing, deps.store, log, abort.signal);
    } finally {
      clearInterval(watcher);
    }
  };
}

async function settleFailure(err: unknown, job: Job<AgentJob>, record: TaskRecord, store: TaskStore, log: Logger, signal: AbortSignal): Promise<void> {
  if (err instanceof TaskStateError || err instanceof TaskCancelled || signal.aborted) {
    log.info('task was cancelled while running');
    return;
  }
  const failure = err instanceof TaskFailure ? err : new TaskFailure('internal', 'The worker hit an unexpected error; the task was not completed.', true);
  const attemptsLeft = (job.opts.attempts ?? 1) - (job.attemptsMade + 1);
  if (failure.retryable && attemptsLeft > 0) {
    log.warn({ err, attemptsLeft }, 'task attempt failed; retrying');
    throw err;
  }
  if (!(err instanceof TaskFailure)) log.error({ err }, 'task failed unexpectedly');
  else log.warn({ code: failure.code }, 'task failed');
  const failed: TaskRecord = { ...record, status: 'failed', error: { code: failure.code, message: failure.message } };
  await store
    .transition(
      failed,
      [
        { type: 'error', error: failed.error! },
        { type: 'status', status: 'failed' },
      ],
      ['processing'],
    )
    .catch((e: unknown) => {
      if (!(e instanceof TaskStateError)) throw e;
    });
  throw new UnrecoverableError(failure.message);
}
