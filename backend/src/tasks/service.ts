import { randomUUID } from 'node:crypto';
import {
  estimateTaskTokens,
  TERMINAL_STATUSES,
  type Account,
  type CreateTaskBody,
  type TaskDecisionBody,
  type TaskRecord,
  type TaskView,
} from '@patchpad/shared';
import { compareStreamIds, TaskStateError, type CreationLimits, type TaskQueue, type TaskStore } from '@patchpad/shared/server';
import { AppError } from '../http/errors';
import type { AuthUser } from '../http/request-context';
import type { AuditLog } from '../audit/log';
import type { Logger } from '../log';
import { limitError } from './limits';
import { resolveTaskInput, type TaskProjectSource } from './input';
import { effectiveLimits, type PlanTable } from '../quota/plans';
import type { CreationStep, FaultHook } from './faults';

/** Limits that do not depend on the user's plan. */
export type TaskRateLimits = Pick<CreationLimits, 'ratePerWindow' | 'rateWindowMs' | 'inFlightStaleMs'>;

export type TaskServiceDeps = {
  store: TaskStore;
  queue: TaskQueue;
  audit: AuditLog;
  rate: TaskRateLimits;
  plans: PlanTable;
  /** The user's projects, for a task that starts from a saved version. */
  projects: TaskProjectSource;
  log: Logger;
  /** Test seam: called between the writes of a creation (see faults.ts). */
  faults?: FaultHook;
};

/**
 * The API side of the task lifecycle: create (limited, audited, enqueued), read, cancel, decide.
 *
 * Creation is all or nothing. Its commit point is one Lua script on the user's Redis slot
 * (record, input, first event, index, in-flight set, rate bucket, idempotency key and a
 * "pending" marker, or nothing when a limit refuses). The writes that live on other slots
 * follow it, each idempotent: the BullMQ job (job id = task id), the audit entry (event id
 * `task.create:<id>`), then the marker is cleared. Whoever gets there — this request, a retry
 * with the same Idempotency-Key, or the reaper for a creation whose process died — finishes
 * them, so a task that exists always gets its job and its audit entry, and a retry never
 * returns a dead task. Before the script, the task is marked in the live index, so the reaper
 * can find an interrupted creation at all.
 */
export class TaskService {
  constructor(private readonly deps: TaskServiceDeps) {}

  async create(
    user: AuthUser,
    account: Account,
    input: CreateTaskBody,
    meta: { idempotencyKey?: string; requestId: string },
  ): Promise<{ task: TaskView; created: boolean }> {
    const { store } = this.deps;
    const full = await resolveTaskInput(user.uid, input, this.deps.projects);
    const now = new Date().toISOString();
    const record: TaskRecord = {
      id: randomUUID(),
      uid: user.uid,
      status: 'queued',
      input: full,
      metrics: { tokensIn: 0, tokensOut: 0, attempts: 0 },
      createdAt: now,
      updatedAt: now,
    };
    await store.markLive(user.uid, record.id);
    await this.step('marked_live');
    const plan = effectiveLimits(account, this.deps.plans);
    const limits: CreationLimits = { ...this.deps.rate, maxInFlight: plan.tasksInFlight, tasksPerDay: plan.tasksPerDay, tokensPerMonth: plan.tokensPerMonth };
    const outcome = await store.create(record, limits, estimateTaskTokens(full), meta.idempotencyKey);
    if (outcome.kind !== 'created') this.forget(user.uid, record.id);
    if (outcome.kind === 'refused') throw limitError(outcome, limits, new Date(record.createdAt));
    if (outcome.kind === 'existing') {
      const task = await store.get(user.uid, outcome.taskId);
      if (!task) throw AppError.conflict('That Idempotency-Key belongs to a task that no longer exists; send a new key');
      if (await store.isPending(user.uid, task.id)) await this.completeCreation(task, meta.requestId);
      return { task: (await store.get(user.uid, task.id)) ?? task, created: false };
    }
    await this.step('created');
    try {
      await this.completeCreation(outcome.task, meta.requestId);
    } catch (err) {
      // The task is committed: answering an error now would make the client create another.
      // The pending marker stays, and a retry or the reaper finishes these writes.
      this.deps.log.warn({ err, taskId: record.id }, 'task accepted; its queue job or audit entry will be written by the reaper');
    }
    return { task: outcome.task, created: true };
  }

  /** The idempotent follow-up writes of a creation; safe to run any number of times, by anyone. */
  async completeCreation(task: TaskView, requestId?: string): Promise<void> {
    // A task that already ended was run (its job existed): enqueueing it again would not help.
    if (!TERMINAL_STATUSES.includes(task.status)) await this.deps.queue.enqueue({ uid: task.uid, taskId: task.id });
    await this.step('enqueued');
    await this.deps.audit.append({
      action: 'task.create',
      uid: task.uid,
      target: task.id,
      eventId: `task.create:${task.id}`,
      ...(requestId ? { requestId } : {}),
      details: { mode: task.input.mode, files: task.input.paths.length, ...(task.input.projectId ? { projectId: task.input.projectId } : {}) },
    });
    await this.step('audited');
    await this.deps.store.clearPending(task.uid, task.id);
  }

  async get(user: AuthUser, taskId: string): Promise<TaskView> {
    const task = await this.deps.store.get(user.uid, taskId);
    if (!task) throw AppError.notFound(`Task ${taskId}`);
    return task;
  }

  /** The task with its input files, while they are kept (they expire an hour after the task ends). */
  async getWithInput(user: AuthUser, taskId: string): Promise<TaskRecord> {
    const record = await this.deps.store.load(user.uid, taskId);
    if (record) return record;
    await this.get(user, taskId);
    throw new AppError(410, 'input_expired', `Task ${taskId}'s input files are no longer kept (they expire an hour after a task ends)`);
  }

  /**
   * Where a stream resumes: after `lastEventId`, but never past the newest event, so that a
   * client holding an id from the future (another deployment, a typo) still gets what comes.
   */
  async resumePoint(task: TaskView, lastEventId: string): Promise<string> {
    if (lastEventId === '0') return lastEventId;
    const newest = await this.deps.store.lastEventId(task.uid, task.id);
    return newest !== null && compareStreamIds(lastEventId, newest) > 0 ? newest : lastEventId;
  }

  async list(user: AuthUser, limit: number): Promise<TaskView[]> {
    return this.deps.store.list(user.uid, limit);
  }

  async cancel(user: AuthUser, taskId: string, requestId: string): Promise<TaskView> {
    const task = await this.get(user, taskId);
    const next: TaskView = { ...task, status: 'cancelled' };
    try {
      await this.deps.store.transition(next, [{ type: 'status', status: 'cancelled' }], ['queued', 'processing']);
    } catch (err) {
      if (err instanceof TaskStateError) throw AppError.conflict(`Task is already ${err.current ?? 'gone'} and cannot be cancelled`);
      throw err;
    }
    await this.deps.queue.remove(taskId);
    await this.deps.audit.append({ action: 'task.cancel', uid: user.uid, target: taskId, requestId, eventId: `task.cancel:${taskId}` });
    return next;
  }

  /** Records the user's accept/reject per file and hunk (usage analytics and the audit trail). */
  async decide(user: AuthUser, taskId: string, body: TaskDecisionBody, requestId: string): Promise<TaskView> {
    const task = await this.get(user, taskId);
    if (task.status !== 'done' || !task.result) throw AppError.conflict(`Task is ${task.status}; decisions are for finished tasks`);
    const known = new Set(task.result.filesModified.map((f) => f.path));
    const unknown = body.files.filter((f) => !known.has(f.path)).map((f) => f.path);
    if (unknown.length > 0) throw AppError.badRequest(`These files are not in the task's result: ${unknown.join(', ')}`);
    const next: TaskView = { ...task, decisions: body.files };
    await this.deps.store.transition(next, [], ['done']);
    const accepted = body.files.reduce((n, f) => n + f.hunks.filter((h) => h === 'accepted').length, 0);
    const rejected = body.files.reduce((n, f) => n + f.hunks.filter((h) => h === 'rejected').length, 0);
    await this.deps.audit.append({ action: 'task.decide', uid: user.uid, target: taskId, requestId, details: { accepted, rejected } });
    await this.deps.store.stats.decided(accepted, rejected).catch((err: unknown) => this.deps.log.debug({ err }, 'hunk counters not updated'));
    return next;
  }

  private async step(name: CreationStep): Promise<void> {
    if (this.deps.faults) await this.deps.faults(name);
  }

  /** Drops a live mark made for a task that was not created; the reaper sweeps any left behind. */
  private forget(uid: string, taskId: string): void {
    this.deps.store.unmarkLive(uid, taskId).catch((err: unknown) => this.deps.log.debug({ err }, 'live mark left for the reaper'));
  }
}
