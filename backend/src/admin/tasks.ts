import type { AdminTaskDetail, AdminTaskRow, TaskView } from '@patchpad/shared';
import { globalTaskKeys, parseLiveMember, statsKeys, type RedisClient, type TaskStore } from '@patchpad/shared/server';
import { AppError } from '../http/errors';
import { decodeCursor, encodeCursor } from './cursor';

function row(t: TaskView): AdminTaskRow {
  return {
    id: t.id,
    uid: t.uid,
    status: t.status,
    mode: t.input.mode,
    model: t.metrics.model ?? t.input.model ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    durationMs: t.metrics.durationMs ?? null,
    tokens: t.metrics.tokensIn + t.metrics.tokensOut,
  };
}

/** Tasks across users for admins: the live ones (not ended), or the newest ended ones. */
export class AdminTasks {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly store: TaskStore,
  ) {}

  async page(status: 'live' | 'recent', limit: number, cursor?: string): Promise<{ tasks: AdminTaskRow[]; next: string | null }> {
    const key = status === 'live' ? globalTaskKeys(this.prefix).live : statsKeys(this.prefix).recent;
    const offset = decodeCursor(cursor);
    const members = await this.redis.zrevrange(key, offset, offset + limit - 1);
    const tasks = await Promise.all(members.map((m) => parseLiveMember(m)).map(({ uid, taskId }) => this.store.get(uid, taskId)));
    return { tasks: tasks.filter((t): t is TaskView => t !== null).map(row), next: members.length === limit ? encodeCursor(offset + limit) : null };
  }

  async detail(uid: string, taskId: string): Promise<AdminTaskDetail> {
    const task = await this.store.get(uid, taskId);
    if (!task) throw AppError.notFound(`Task ${taskId} of user ${uid}`);
    return { ...row(task), prompt: task.input.prompt, paths: task.input.paths, metrics: task.metrics, ...(task.error ? { error: task.error } : {}) };
  }
}
