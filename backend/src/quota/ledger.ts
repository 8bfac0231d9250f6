import type { QuotaLimits, UsageSummary, Plan } from '@patchpad/shared';
import { defineScript, MONTH_HASH_TTL_MS, quotaKeys, quotaPeriods, taskKeys, type RedisClient, type Script } from '@patchpad/shared/server';

/**
 * The token side of quotas. A task reserves an estimate when it is created (task-create
 * script); each model call through the gateway counts what it really spent (`consume`, taken
 * from the reservation first); when the task ends, what is left of the reservation goes back
 * (task-transition script). All of it in the month the task was created in.
 */
export class QuotaLedger {
  private readonly consumeScript: Script<number>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.consumeScript = defineScript(redis, new URL('./lua/quota-consume-2.lua', import.meta.url));
  }

  /**
   * Counts tokens a call spent for a task, in the month its reservation was made (recorded with
   * it; the current month once the task has ended). Returns the month's use.
   */
  async consume(uid: string, taskId: string, tokens: number): Promise<number> {
    const keys = quotaKeys(this.prefix, uid);
    const held = await this.redis.hget(keys.reservations, taskId);
    const month = held?.split(':')[2] ?? quotaPeriods(new Date()).month;
    return this.consumeScript([keys.month(month), keys.reservations], [taskId, Math.max(0, Math.round(tokens)), MONTH_HASH_TTL_MS]);
  }

  /** What the user has used of each allowance now, and when each resets. */
  async summary(uid: string, plan: Plan, limits: QuotaLimits, now = new Date()): Promise<UsageSummary> {
    const keys = quotaKeys(this.prefix, uid);
    const period = quotaPeriods(now);
    const [month, today, inFlight] = await Promise.all([
      this.redis.hmget(keys.month(period.month), 'used', 'reserved'),
      this.redis.get(keys.day(period.day)),
      this.redis.zcard(taskKeys(this.prefix, uid).inflight),
    ]);
    return {
      plan,
      tokens: { used: Number(month[0] ?? 0), reserved: Number(month[1] ?? 0), limit: limits.tokensPerMonth, resetsAt: period.monthResetsAt.toISOString() },
      tasksToday: { used: Number(today ?? 0), limit: limits.tasksPerDay, resetsAt: period.dayResetsAt.toISOString() },
      tasksInFlight: { used: inFlight, limit: limits.tasksInFlight },
    };
  }

  /** An admin's reset: this month's tokens used and today's task count start again from zero. */
  async reset(uid: string, now = new Date()): Promise<void> {
    const keys = quotaKeys(this.prefix, uid);
    const period = quotaPeriods(now);
    await this.redis.hset(keys.month(period.month), 'used', 0);
    await this.redis.del(keys.day(period.day));
  }
}
