import type { AdminTaskDetail, AdminTaskPage, AdminTaskRow, TaskView } from '@patchpad/shared';
import { globalTaskKeys, parseLiveMember, statsKeys, type RedisClient, type TaskStore } from '@patchpad/shared/server';
import { AppError } from '../http/errors';
import { decodeCursor, encodeCursor } from './cursor';

function row(t: TaskView, email: string | null): AdminTaskRow {
  return {
    id: t.id,
    uid: t.uid,
    email,
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
    /** A user's email (the account's profile); tasks carry only the uid. */
    private readonly emailOf: (uid: string) => Promise<string | null> = async () => null,
  ) {}

  async page(status: 'live' | 'recent', limit: number, cursor?: string): Promise<AdminTaskPage> {
    const key = status === 'live' ? globalTaskKeys(this.prefix).live : statsKeys(this.prefix).recent;
    const offset = decodeCursor(cursor);
    const members = await this.redis.zrevrange(key, offset, offset + limit - 1);
    const tasks = (await Promise.all(members.map((m) => parseLiveMember(m)).map(({ uid, taskId }) => this.store.get(uid, taskId)))).filter(
      (t): t is TaskView => t !== null,
    );
    const emails = await this.emails(tasks.map((t) => t.uid));
    return { tasks: tasks.map((t) => row(t, emails.get(t.uid) ?? null)), next: members.length === limit ? encodeCursor(offset + limit) : null };
  }

  async detail(uid: string, taskId: string): Promise<AdminTaskDetail> {
    const task = await this.store.get(uid, taskId);
    if (!task) throw AppError.notFound(`Task ${taskId} of user ${uid}`);
    return {
      ...row(task, await this.emailOf(uid)),
      prompt: task.input.prompt,
      paths: task.input.paths,
      metrics: task.metrics,
      ...(task.error ? { error: task.error } : {}),
    };
  }

  /** One look-up per distinct user of the page, all at once. */
  private async emails(uids: string[]): Promise<Map<string, string | null>> {
    const distinct = [...new Set(uids)];
    const found = await Promise.all(distinct.map((uid) => this.emailOf(uid)));
    return new Map(distinct.map((uid, i) => [uid, found[i]!]));
  }
}
