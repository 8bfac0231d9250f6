import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { taskEventSchema, type TaskEvent, type TaskRecord, type TaskStatus } from '@patchpad/shared';
import { taskKeys } from './keys';

const TRANSITION = readFileSync(new URL('./lua/task-transition-2.lua', import.meta.url), 'utf8');
const TASK_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_EVENTS = 5000;

export type StoredEvent = { id: string; event: TaskEvent };

export class TaskNotFoundError extends Error {}
export class TaskStateError extends Error {
  constructor(readonly current: TaskStatus | null) {
    super(`task is ${current ?? 'missing'}`);
  }
}

/**
 * Task records and their event streams in Redis. Shared by the API (create, read, cancel,
 * stream) and the worker (progress, result): both go through `transition`, the one atomic
 * write, so a record and the event announcing it never disagree.
 */
export class TaskStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('ppTaskTransition', { numberOfKeys: 2, lua: TRANSITION });
  }

  async get(uid: string, taskId: string): Promise<TaskRecord | null> {
    const raw = await this.redis.get(taskKeys(this.prefix, uid, taskId).record);
    return raw ? (JSON.parse(raw) as TaskRecord) : null;
  }

  /** Creates the record and its first event; with an idempotency key, a retry returns the first task. */
  async create(record: TaskRecord, idempotencyKey?: string): Promise<{ record: TaskRecord; created: boolean }> {
    const keys = taskKeys(this.prefix, record.uid, record.id);
    if (idempotencyKey) {
      const claimed = await this.redis.set(keys.idempotency(idempotencyKey), record.id, 'PX', 24 * 3600 * 1000, 'NX');
      if (claimed === null) {
        const existingId = await this.redis.get(keys.idempotency(idempotencyKey));
        const existing = existingId ? await this.get(record.uid, existingId) : null;
        if (existing) return { record: existing, created: false };
      }
    }
    await this.transition(record, [{ type: 'status', status: record.status }], '*');
    await this.redis.zadd(keys.index, Date.parse(record.createdAt), record.id);
    return { record, created: true };
  }

  /**
   * Writes `next` and appends `events` if the stored status is in `from` ('*' = unconditional).
   * Throws TaskStateError when another actor (a cancel, another worker) got there first.
   */
  async transition(next: TaskRecord, events: TaskEvent[], from: readonly TaskStatus[] | '*'): Promise<string> {
    const keys = taskKeys(this.prefix, next.uid, next.id);
    const stamped = { ...next, updatedAt: new Date().toISOString() };
    const allowed = from === '*' ? '*' : from.join(',');
    const out = await (this.redis as RedisWithTransition).ppTaskTransition(
      keys.record,
      keys.events,
      JSON.stringify(stamped),
      allowed,
      TASK_TTL_MS,
      MAX_EVENTS,
      ...events.map((e) => JSON.stringify(e)),
    );
    if (out === -1 || out === -2) {
      const current = await this.get(next.uid, next.id);
      throw new TaskStateError(current?.status ?? null);
    }
    return String(out);
  }

  /** Appends an event that changes nothing in the record (progress, streamed tokens). */
  async appendEvent(uid: string, taskId: string, event: TaskEvent): Promise<string> {
    const keys = taskKeys(this.prefix, uid, taskId);
    const id = await this.redis.xadd(keys.events, 'MAXLEN', '~', MAX_EVENTS, '*', 'e', JSON.stringify(event));
    return id ?? '';
  }

  /** Events after `afterId` ('0' = from the start); blocks up to `blockMs` on `reader` when none. */
  async readEvents(reader: Redis, uid: string, taskId: string, afterId: string, blockMs: number): Promise<StoredEvent[]> {
    const key = taskKeys(this.prefix, uid, taskId).events;
    const reply =
      blockMs > 0 ? await reader.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, afterId) : await reader.xread('COUNT', 500, 'STREAMS', key, afterId);
    const entries = reply?.[0]?.[1] ?? [];
    return entries.map(([id, fields]) => ({ id, event: taskEventSchema.parse(JSON.parse(fields[1] ?? 'null')) }));
  }

  async list(uid: string, limit: number): Promise<TaskRecord[]> {
    const ids = await this.redis.zrevrange(taskKeys(this.prefix, uid).index, 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => taskKeys(this.prefix, uid, id).record));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as TaskRecord);
  }
}

type RedisWithTransition = Redis & {
  ppTaskTransition(...args: (string | number)[]): Promise<string | number>;
};
