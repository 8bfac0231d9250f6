import { UnrecoverableError, type Job } from 'bullmq';
import { agentJobSchema, type AgentJob, type TaskRecord } from '@patchpad/shared';
import { TaskStateError, type TaskStore } from '@patchpad/backend/tasks/store';
import type { Logger } from 'pino';
import type { GatewayClient } from './gateway-client';
import { TaskCancelled, TaskFailure } from './errors';
import { runTask, type RunDeps } from './pipeline/run';

export type ProcessorDeps = {
  store: TaskStore;
  gateway: GatewayClient;
  /** The model for tasks that name none (asked per task: the gateway's list can change). */
  defaultModel: () => Promise<string | null>;
  maxRepairs: number;
  log: Logger;
  /** The model's context window and answer limit (see RunDeps). */
  modelLimits?: RunDeps['modelLimits'];
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
    const record = await deps.store.get(uid, taskId);
    if (!record) throw new UnrecoverableError(`task ${taskId} has no record (expired?)`);
    if (record.status !== 'queued' && record.status !== 'processing') {
      log.info({ status: record.status }, 'skipping task that is no longer pending');
      return;
    }
    const processing: TaskRecord = { ...record, status: 'processing' };
    try {
      await deps.store.transition(processing, [{ type: 'status', status: 'processing' }], ['queued', 'processing']);
    } catch (err) {
      if (err instanceof TaskStateError) return log.info({ status: err.current }, 'task changed before it started');
      throw err;
    }

    const abort = new AbortController();
    const watcher = setInterval(async () => {
      const current = await deps.store.get(uid, taskId).catch(() => null);
      if (current?.status === 'cancelled') abort.abort(new TaskCancelled());
    }, deps.cancelPollMs ?? 1000);
    try {
      const done = await runTask(processing, { ...deps, defaultModel: await deps.defaultModel(), log }, abort.signal);
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
