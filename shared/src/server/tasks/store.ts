import { TERMINAL_STATUSES, toTaskView, type ProjectFiles, type TaskEvent, type TaskRecord, type TaskStatus, type TaskView } from '../../index';
import { defineScript, type RedisClient, type Script } from '../redis/script';
import { TaskStats } from './stats';
import { globalTaskKeys, liveMember, parseLiveMember, quotaKeys, quotaPeriods, taskKeys } from './keys';

/** How long Redis keeps what a task leaves behind. */
export const TASK_RETENTION = {
  recordMs: 7 * 24 * 3600 * 1000,
  /** Input files while the task has not ended: long enough for any queue backlog. */
  inputMs: 24 * 3600 * 1000,
  /** Input files once the task ended: a re-run or `?include=input` soon after still works. */
  inputAfterEndMs: 3600 * 1000,
  /** Idempotency keys and creation-pending markers. */
  idempotencyMs: 24 * 3600 * 1000,
  maxEvents: 5000,
} as const;

/** An event as the task's stream holds it: `data` is its JSON exactly as stored, for relaying. */
export type StoredEvent = { id: string; event: TaskEvent; data: string };

export class TaskStateError extends Error {
  constructor(readonly current: TaskStatus | null) {
    super(`task is ${current ?? 'missing'}`);
  }
}

/** What a creation may use of the user's allowance; refusals name the limit that was hit. */
export type CreationLimits = {
  ratePerWindow: number;
  rateWindowMs: number;
  maxInFlight: number;
  inFlightStaleMs: number;
  tasksPerDay: number;
  tokensPerMonth: number;
};

export type RefusedLimit = 'rate' | 'in_flight' | 'tasks_per_day' | 'tokens_per_month';

export type CreateOutcome =
  | { kind: 'created'; task: TaskView; eventId: string }
  | { kind: 'existing'; taskId: string }
  /** `retryAfterMs` -1: when the limit's period (day, month) resets. */
  | { kind: 'refused'; limit: RefusedLimit; retryAfterMs: number; used: number; max: number };

const DAY_COUNTER_TTL_MS = 2 * 24 * 3600 * 1000;
/** Month hashes outlive their month, so the last one is still there to show and compare. */
export const MONTH_HASH_TTL_MS = 62 * 24 * 3600 * 1000;

/**
 * Task records, inputs and event streams in Redis, shared by the API (create, read, cancel,
 * stream) and the worker (progress, result). Every write that must agree with another is one
 * Lua script (`lua/`), so a record and the event announcing it never disagree, and every
 * event is announced on one pub/sub channel that each API process fans out to its streams.
 */
export class TaskStore {
  private readonly createScript: Script<[number, string, ...(string | number)[]]>;
  private readonly transitionScript: Script<string | number>;
  private readonly eventScript: Script<string>;
  private readonly global: ReturnType<typeof globalTaskKeys>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.createScript = defineScript(redis, new URL('./lua/task-create-11.lua', import.meta.url));
    this.transitionScript = defineScript(redis, new URL('./lua/task-transition-6.lua', import.meta.url));
    this.eventScript = defineScript(redis, new URL('./lua/task-event-1.lua', import.meta.url));
    this.global = globalTaskKeys(prefix);
    this.stats = new TaskStats(redis, prefix);
  }

  /** Counters for the admin's charts, written when tasks end and hunks are decided. */
  readonly stats: TaskStats;

  get channel(): string {
    return this.global.channel;
  }

  /** The task as clients see it (no input files), or null. */
  async get(uid: string, taskId: string): Promise<TaskView | null> {
    const raw = await this.redis.get(taskKeys(this.prefix, uid, taskId).record);
    return raw ? (JSON.parse(raw) as TaskView) : null;
  }

  /** The whole task with its input files; null when the record or (expired) input is gone. */
  async load(uid: string, taskId: string): Promise<TaskRecord | null> {
    const keys = taskKeys(this.prefix, uid, taskId);
    const [raw, input] = await Promise.all([this.redis.get(keys.record), this.redis.get(keys.input)]);
    if (!raw || !input) return null;
    const view = JSON.parse(raw) as TaskView;
    const { paths: _paths, ...rest } = view.input;
    return { ...view, input: { ...rest, files: JSON.parse(input) as ProjectFiles } };
  }

  /**
   * Creates the task (see task-create-11.lua), reserving `reserveTokens` of the month's
   * allowance, or returns the task an idempotency key already names, or says which limit
   * refused it. Nothing is written on a refusal.
   */
  async create(record: TaskRecord, limits: CreationLimits, reserveTokens: number, idempotencyKey?: string): Promise<CreateOutcome> {
    const keys = taskKeys(this.prefix, record.uid, record.id);
    const quota = quotaKeys(this.prefix, record.uid);
    const period = quotaPeriods(new Date(record.createdAt));
    const view = toTaskView(record);
    const reply = await this.createScript(
      [
        keys.idempotency(idempotencyKey),
        keys.record,
        keys.input,
        keys.events,
        keys.index,
        keys.inflight,
        keys.rate,
        keys.pending,
        quota.day(period.day),
        quota.month(period.month),
        quota.reservations,
      ],
      [
        record.id,
        JSON.stringify(view),
        JSON.stringify(record.input.files),
        JSON.stringify({ type: 'status', status: record.status } satisfies TaskEvent),
        idempotencyKey ? 1 : 0,
        TASK_RETENTION.recordMs,
        TASK_RETENTION.inputMs,
        TASK_RETENTION.idempotencyMs,
        TASK_RETENTION.maxEvents,
        limits.ratePerWindow,
        limits.rateWindowMs,
        limits.maxInFlight,
        limits.inFlightStaleMs,
        this.global.channel,
        `${record.uid}\n${record.id}`,
        limits.tasksPerDay,
        limits.tokensPerMonth,
        reserveTokens,
        DAY_COUNTER_TTL_MS,
        MONTH_HASH_TTL_MS,
        period.month,
      ],
    );
    const [code, a, b, c, d] = reply;
    if (code === 1) return { kind: 'created', task: view, eventId: String(b) };
    if (code === 2) return { kind: 'existing', taskId: String(a) };
    return { kind: 'refused', limit: String(a) as RefusedLimit, retryAfterMs: Number(b), used: Number(c), max: Number(d) };
  }

  /** Whether a creation's follow-up writes (queue job, audit entry) may still be missing. */
  async isPending(uid: string, taskId: string): Promise<boolean> {
    return (await this.redis.exists(taskKeys(this.prefix, uid, taskId).pending)) === 1;
  }

  async clearPending(uid: string, taskId: string): Promise<void> {
    await this.redis.del(taskKeys(this.prefix, uid, taskId).pending);
  }

  /**
   * Writes `next` and appends `events` if the stored status is in `from` ('*' = unconditional).
   * Throws TaskStateError when another actor (a cancel, another worker) got there first.
   */
  async transition(next: TaskRecord | TaskView, events: TaskEvent[], from: readonly TaskStatus[] | '*'): Promise<string> {
    const keys = taskKeys(this.prefix, next.uid, next.id);
    const quota = quotaKeys(this.prefix, next.uid);
    const view = 'files' in next.input ? toTaskView(next as TaskRecord) : (next as TaskView);
    const stamped: TaskView = { ...view, updatedAt: new Date().toISOString() };
    const out = await this.transitionScript(
      [keys.record, keys.events, keys.inflight, keys.input, quota.month(quotaPeriods(new Date(next.createdAt)).month), quota.reservations],
      [
        JSON.stringify(stamped),
        from === '*' ? '*' : from.join(','),
        TASK_RETENTION.recordMs,
        TASK_RETENTION.maxEvents,
        next.id,
        TERMINAL_STATUSES.includes(next.status) ? 1 : 0,
        TASK_RETENTION.inputAfterEndMs,
        this.global.channel,
        `${next.uid}\n${next.id}`,
        next.metrics.tokensIn + next.metrics.tokensOut,
        ...events.map((e) => JSON.stringify(e)),
      ],
    );
    if (out === -1 || out === -2) {
      const current = await this.get(next.uid, next.id);
      throw new TaskStateError(current?.status ?? null);
    }
    // The live index is on another slot, so this is a second write; if it is lost, the reaper
    // finds the task ended and drops it from the index itself. A task whose creation is still
    // pending stays: the reaper must find it to write its audit entry.
    if (TERMINAL_STATUSES.includes(next.status)) {
      if (!(await this.isPending(next.uid, next.id).catch(() => true))) await this.unmarkLive(next.uid, next.id).catch(() => undefined);
      await this.stats.ended(next).catch(() => undefined);
    }
    return String(out);
  }

  /** Appends an event that changes nothing in the record (progress, streamed tokens). */
  async appendEvent(uid: string, taskId: string, event: TaskEvent): Promise<string> {
    const keys = taskKeys(this.prefix, uid, taskId);
    return this.eventScript([keys.events], [JSON.stringify(event), TASK_RETENTION.maxEvents, this.global.channel, `${uid}\n${taskId}`]);
  }

  /**
   * Up to `count` events strictly after `afterId` ('0' = from the start), oldest first.
   * Not checked against the schema: every event here was written by `transition`/`appendEvent`
   * from a typed TaskEvent, the streams relay them as stored, and the IDE checks each one it
   * receives. Parsing, checking and re-serialising every event read took about 0.5 ms of the
   * API's CPU per task in a profile (a `result` event carries the whole diff); `data` is relayed
   * as is, and only the type and status are read from the parse.
   */
  async readEvents(uid: string, taskId: string, afterId: string, count = 500): Promise<StoredEvent[]> {
    const key = taskKeys(this.prefix, uid, taskId).events;
    const rows = await this.redis.xrange(key, afterId === '0' ? '-' : `(${afterId}`, '+', 'COUNT', count);
    return rows.map(([id, fields]) => {
      const data = fields[1] ?? 'null';
      return { id, event: JSON.parse(data) as TaskEvent, data };
    });
  }

  /** The id of the task's newest event, or null when it has none. */
  async lastEventId(uid: string, taskId: string): Promise<string | null> {
    const rows = await this.redis.xrevrange(taskKeys(this.prefix, uid, taskId).events, '+', '-', 'COUNT', 1);
    return rows[0]?.[0] ?? null;
  }

  async list(uid: string, limit: number): Promise<TaskView[]> {
    const ids = await this.redis.zrevrange(taskKeys(this.prefix, uid).index, 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => taskKeys(this.prefix, uid, id).record));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as TaskView);
  }

  /** Records, before the creation script, that this task may exist: the reaper's starting point. */
  async markLive(uid: string, taskId: string): Promise<void> {
    await this.redis.zadd(this.global.live, Date.now(), liveMember(uid, taskId));
  }

  async unmarkLive(uid: string, taskId: string): Promise<void> {
    await this.redis.zrem(this.global.live, liveMember(uid, taskId));
  }

  /** Tasks marked live before `before` (ms), oldest first. */
  async liveBefore(before: number, limit: number): Promise<{ uid: string; taskId: string; since: number }[]> {
    const rows = await this.redis.zrangebyscore(this.global.live, '-inf', before, 'WITHSCORES', 'LIMIT', 0, limit);
    const out: { uid: string; taskId: string; since: number }[] = [];
    for (let i = 0; i < rows.length; i += 2) out.push({ ...parseLiveMember(rows[i]!), since: Number(rows[i + 1]) });
    return out;
  }

  async liveCount(): Promise<number> {
    return this.redis.zcard(this.global.live);
  }
}
