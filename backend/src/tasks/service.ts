import { randomUUID } from 'node:crypto';
import type { CreateTaskBody, TaskDecisionBody, TaskRecord, TaskView } from '@patchpad/shared';
import { AppError } from '../http/errors';
import type { AuthUser } from '../http/request-context';
import type { AuditLog } from '../audit/store';
import type { RateLimiter } from '../quota/rate-limit';
import type { TaskQueue } from './queue';
import { TaskStateError, type TaskStore } from './store';

export type TaskServiceDeps = { store: TaskStore; queue: TaskQueue; rateLimiter: RateLimiter; audit: AuditLog };

/** The API side of the task lifecycle: create (rate-limited, audited, enqueued), read, cancel, decide. */
export class TaskService {
  constructor(private readonly deps: TaskServiceDeps) {}

  async create(user: AuthUser, input: CreateTaskBody, meta: { idempotencyKey?: string; requestId: string }): Promise<{ task: TaskView; created: boolean }> {
    await this.deps.rateLimiter.hit(user.uid, 'tasks');
    const now = new Date().toISOString();
    const record: TaskRecord = {
      id: randomUUID(),
      uid: user.uid,
      status: 'queued',
      input,
      metrics: { tokensIn: 0, tokensOut: 0, attempts: 0 },
      createdAt: now,
      updatedAt: now,
    };
    const { record: stored, created } = await this.deps.store.create(record, meta.idempotencyKey);
    if (created) {
      await this.deps.audit.append({
        action: 'task.create',
        uid: user.uid,
        target: stored.id,
        requestId: meta.requestId,
        details: { mode: input.mode, files: Object.keys(input.files).length, projectId: input.projectId },
      });
      await this.deps.queue.enqueue({ uid: user.uid, taskId: stored.id });
    }
    return { task: toView(stored), created };
  }

  async get(user: AuthUser, taskId: string): Promise<TaskRecord> {
    const record = await this.deps.store.get(user.uid, taskId);
    if (!record) throw AppError.notFound(`Task ${taskId}`);
    return record;
  }

  async list(user: AuthUser, limit: number): Promise<TaskView[]> {
    return (await this.deps.store.list(user.uid, limit)).map(toView);
  }

  async cancel(user: AuthUser, taskId: string, requestId: string): Promise<TaskView> {
    const record = await this.get(user, taskId);
    const next: TaskRecord = { ...record, status: 'cancelled' };
    try {
      await this.deps.store.transition(next, [{ type: 'status', status: 'cancelled' }], ['queued', 'processing']);
    } catch (err) {
      if (err instanceof TaskStateError) throw AppError.conflict(`Task is already ${err.current ?? 'gone'} and cannot be cancelled`);
      throw err;
    }
    await this.deps.queue.remove(taskId);
    await this.deps.audit.append({ action: 'task.cancel', uid: user.uid, target: taskId, requestId });
    return toView(next);
  }

  /** Records the user's accept/reject per file and hunk (usage analytics and the audit trail). */
  async decide(user: AuthUser, taskId: string, body: TaskDecisionBody, requestId: string): Promise<TaskView> {
    const record = await this.get(user, taskId);
    if (record.status !== 'done' || !record.result) throw AppError.conflict(`Task is ${record.status}; decisions are for finished tasks`);
    const known = new Set(record.result.filesModified.map((f) => f.path));
    const unknown = body.files.filter((f) => !known.has(f.path)).map((f) => f.path);
    if (unknown.length > 0) throw AppError.badRequest(`These files are not in the task's result: ${unknown.join(', ')}`);
    const next: TaskRecord = { ...record, decisions: body.files };
    await this.deps.store.transition(next, [], ['done']);
    const accepted = body.files.reduce((n, f) => n + f.hunks.filter((h) => h === 'accepted').length, 0);
    await this.deps.audit.append({ action: 'task.decide', uid: user.uid, target: taskId, requestId, details: { accepted } });
    return toView(next);
  }
}

export function toView(record: TaskRecord): TaskView {
  const { files, ...rest } = record.input;
  return { ...record, input: { ...rest, paths: Object.keys(files) } };
}
