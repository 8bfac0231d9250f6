import { TERMINAL_STATUSES, type TaskView } from '../../index';
import type { RedisClient } from '../redis/script';
import { quotaPeriods } from './keys';

/** Upper bounds (ms) of the task-duration histogram's buckets; the last is open-ended. */
export const DURATION_BUCKETS_MS = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, Infinity] as const;
const STATS_TTL_MS = 62 * 24 * 3600 * 1000;
const RECENT_KEEP = 10_000;

export function statsKeys(prefix: string) {
  const base = `${prefix}:{stats}`;
  return {
    /** Hash per UTC day: done, failed, cancelled. */
    outcomes: (day: string) => `${base}:tasks:${day}`,
    /** Hash per UTC day: bucket upper bound → tasks that ended within it. */
    durations: (day: string) => `${base}:durations:${day}`,
    /** Hash per UTC day: accepted, rejected (hunks). */
    hunks: (day: string) => `${base}:hunks:${day}`,
    /** The newest ended tasks across users, `<taskId>:<uid>` by end time. */
    recent: `${prefix}:{tasks}:recent`,
  };
}

export function durationBucket(ms: number): string {
  const bound = DURATION_BUCKETS_MS.find((b) => ms <= b) ?? Infinity;
  return bound === Infinity ? 'inf' : String(bound);
}

/**
 * Counters the admin's usage page reads: tasks ended per day by outcome, their durations, and
 * hunk decisions. Written after the fact and best effort (a lost increment skews a chart, it
 * never loses a task), each on its own hash tag, so they never slow the per-user scripts.
 */
export class TaskStats {
  private readonly keys: ReturnType<typeof statsKeys>;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = statsKeys(prefix);
  }

  async ended(task: Pick<TaskView, 'id' | 'uid' | 'status' | 'metrics'>, at = new Date()): Promise<void> {
    if (!TERMINAL_STATUSES.includes(task.status)) return;
    const day = quotaPeriods(at).day;
    const writes: Promise<unknown>[] = [
      this.redis.hincrby(this.keys.outcomes(day), task.status, 1).then(() => this.redis.pexpire(this.keys.outcomes(day), STATS_TTL_MS)),
      this.redis.zadd(this.keys.recent, at.getTime(), `${task.id}:${task.uid}`).then(() => this.redis.zremrangebyrank(this.keys.recent, 0, -RECENT_KEEP - 1)),
    ];
    if (task.status === 'done' && task.metrics.durationMs !== undefined) {
      const key = this.keys.durations(day);
      writes.push(this.redis.hincrby(key, durationBucket(task.metrics.durationMs), 1).then(() => this.redis.pexpire(key, STATS_TTL_MS)));
    }
    await Promise.all(writes);
  }

  async decided(accepted: number, rejected: number, at = new Date()): Promise<void> {
    const key = this.keys.hunks(quotaPeriods(at).day);
    await this.redis.hincrby(key, 'accepted', accepted);
    await this.redis.hincrby(key, 'rejected', rejected);
    await this.redis.pexpire(key, STATS_TTL_MS);
  }
}
