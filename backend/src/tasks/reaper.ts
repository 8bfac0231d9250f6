import { globalTaskKeys, Lease, runUnderLease, TaskStateError, type RedisClient, type TaskQueue, type TaskStore } from '@patchpad/shared/server';
import { TERMINAL_STATUSES, type TaskError, type TaskView } from '@patchpad/shared';
import type { Logger } from '../log';

export type ReaperDeps = {
  redis: RedisClient;
  prefix: string;
  store: TaskStore;
  queue: TaskQueue;
  /** Finishes an interrupted creation (TaskService.completeCreation). */
  completeCreation: (task: TaskView) => Promise<void>;
  log: Logger;
  /** A task still queued or running after this long is ended as failed. */
  maxAgeMs: number;
  /** Tasks younger than this are left alone: their creation may still be running. */
  graceMs: number;
  /** How often a sweep runs; the lease outlives a few rounds, so a dead holder is replaced soon. */
  intervalMs: number;
};

export type SweepReport = { examined: number; completed: number; failed: number; forgotten: number };

/**
 * Makes sure every task ends. It walks the live index (every task not known to have ended,
 * oldest first) and, for each one older than a grace period:
 * - no record: a creation that never committed; forget it;
 * - ended: forget it (the end was written, the index update was lost);
 * - creation pending: write its queue job and audit entry (a creation whose process died);
 * - its BullMQ job is gone, failed (stalled more than allowed) or finished without a result,
 *   or it is older than `maxAgeMs`: end it as failed with a reason the user sees.
 * One process at a time sweeps (a lease), so N API processes do not repeat the work.
 */
export class TaskReaper {
  private readonly lease: Lease;
  private readonly keys: ReturnType<typeof globalTaskKeys>;

  constructor(private readonly deps: ReaperDeps) {
    this.keys = globalTaskKeys(deps.prefix);
    this.lease = new Lease(deps.redis, this.keys.reaperLease, Math.max(5_000, deps.intervalMs * 3));
  }

  async sweep(now = Date.now()): Promise<SweepReport> {
    const report: SweepReport = { examined: 0, completed: 0, failed: 0, forgotten: 0 };
    const batch = await this.deps.store.liveBefore(now - this.deps.graceMs, 500);
    for (const { uid, taskId, since } of batch) {
      report.examined++;
      try {
        await this.examine(uid, taskId, now - since, report);
      } catch (err) {
        this.deps.log.warn({ err, taskId, uid }, 'reaper could not settle a task; next round retries');
      }
    }
    return report;
  }

  private async examine(uid: string, taskId: string, ageMs: number, report: SweepReport): Promise<void> {
    const { store, queue } = this.deps;
    const task = await store.get(uid, taskId);
    if (task && (await store.isPending(uid, taskId))) {
      // The creation's process died before writing its queue job or audit entry. The task may
      // even have run and ended meanwhile: then its audit entry is what is missing.
      await this.deps.completeCreation(task);
      report.completed++;
      this.deps.log.info({ taskId, uid }, 'reaper finished an interrupted task creation');
      if (!TERMINAL_STATUSES.includes(task.status)) return; // now in the queue's hands; judged next round
    }
    if (!task || TERMINAL_STATUSES.includes(task.status)) {
      await store.unmarkLive(uid, taskId);
      report.forgotten++;
      return;
    }
    const job = await queue.jobState(taskId);
    let error: TaskError | null = null;
    if (job.state === 'missing')
      error = { code: 'task_lost', message: 'This task was lost from the queue before a worker finished it; nothing will run it now. Please send it again.' };
    else if (job.state === 'failed')
      error = /stalled/i.test(job.reason)
        ? { code: 'task_stalled', message: `The workers running this task kept stopping (${job.reason}); it was not completed. Please send it again.` }
        : { code: 'task_failed', message: `The worker could not complete this task: ${job.reason}` };
    else if (job.state === 'completed') error = { code: 'task_lost', message: 'The worker finished this task but its result was lost. Please send it again.' };
    else if (ageMs > this.deps.maxAgeMs)
      error = {
        code: 'task_timeout',
        message: `This task did not finish within ${Math.round(this.deps.maxAgeMs / 60_000)} minutes and was stopped. Please try again.`,
      };
    if (!error) return;
    try {
      await store.transition(
        { ...task, status: 'failed', error },
        [
          { type: 'error', error },
          { type: 'status', status: 'failed' },
        ],
        ['queued', 'processing'],
      );
    } catch (err) {
      if (err instanceof TaskStateError) return; // it ended meanwhile
      throw err;
    }
    if (job.state !== 'missing') await queue.remove(taskId);
    await this.deps.redis.hincrby(this.keys.reaped, error.code, 1);
    report.failed++;
    this.deps.log.warn({ taskId, uid, code: error.code, jobState: job.state, ageMs }, 'reaper ended a stuck task as failed');
  }

  /** Tasks the reaper ended, by reason, since Redis was last emptied. */
  async reapedCounts(): Promise<Record<string, number>> {
    const raw = await this.deps.redis.hgetall(this.keys.reaped);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** Sweeps every `intervalMs` wherever the lease is free; returns a stop function. */
  start(): () => Promise<void> {
    return runUnderLease(
      this.lease,
      this.deps.intervalMs,
      () => this.sweep(),
      (err) => this.deps.log.warn({ err }, 'reaper round failed'),
    );
  }
}
