import type { LimitRefusal } from '@patchpad/shared';
import { quotaPeriods, type CreateOutcome, type CreationLimits } from '@patchpad/shared/server';
import { AppError } from '../http/errors';

type Refusal = Extract<CreateOutcome, { kind: 'refused' }>;

const refusal = (code: string, message: string, details: LimitRefusal) =>
  new AppError(429, code, message, details, { 'Retry-After': String(details.retryAfterSeconds) });

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * A refused creation as the 429 the client gets: which limit, how much of it is used, when to
 * try again (also as Retry-After) and, for a daily or monthly allowance, when it resets.
 * Nothing of the task was written.
 */
export function limitError(r: Refusal, limits: CreationLimits, now: Date): AppError {
  const period = quotaPeriods(now);
  switch (r.limit) {
    case 'rate': {
      const perMinute = Math.round((limits.ratePerWindow * 60_000) / limits.rateWindowMs);
      const retry = seconds(r.retryAfterMs);
      return refusal('rate_limited', `Too many new tasks: at most ${perMinute} per minute. Try again in ${retry} s.`, {
        limit: 'tasks_per_minute',
        used: r.used,
        max: r.max,
        retryAfterSeconds: retry,
        resetsAt: new Date(now.getTime() + r.retryAfterMs).toISOString(),
      });
    }
    case 'in_flight':
      // When one of the running tasks ends is unknown; a few seconds is a fair first wait.
      return refusal(
        'too_many_in_flight',
        `You have ${r.used} tasks queued or running; at most ${r.max} at once on your plan. Wait for one to finish, or cancel one.`,
        { limit: 'tasks_in_flight', used: r.used, max: r.max, retryAfterSeconds: 5 },
      );
    case 'tasks_per_day':
      return refusal(
        'quota_exceeded',
        `You have used all ${r.max} tasks of your plan for today; more are available from ${period.dayResetsAt.toISOString()} (midnight UTC).`,
        {
          limit: 'tasks_per_day',
          used: r.used,
          max: r.max,
          retryAfterSeconds: seconds(period.dayResetsAt.getTime() - now.getTime()),
          resetsAt: period.dayResetsAt.toISOString(),
        },
      );
    case 'tokens_per_month':
      return refusal(
        'quota_exceeded',
        `This task would take your model tokens past your plan's ${r.max.toLocaleString('en-US')} for this month (${r.used.toLocaleString('en-US')} used or reserved). More are available from ${period.monthResetsAt.toISOString()}; an administrator can raise your allowance.`,
        {
          limit: 'tokens_per_month',
          used: r.used,
          max: r.max,
          retryAfterSeconds: seconds(period.monthResetsAt.getTime() - now.getTime()),
          resetsAt: period.monthResetsAt.toISOString(),
        },
      );
  }
}
