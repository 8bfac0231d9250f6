import type { CreateOutcome, CreationLimits } from '@patchpad/shared/server';
import { AppError } from '../http/errors';

type Refusal = Extract<CreateOutcome, { kind: 'refused' }>;

/**
 * A refused creation as the 429 the client gets: which limit, how much of it is used, and
 * when to try again (also as Retry-After). Nothing of the task was written.
 */
export function limitError(refusal: Refusal, limits: CreationLimits): AppError {
  if (refusal.limit === 'rate') {
    const retryAfter = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
    const perMinute = Math.round((limits.ratePerWindow * 60_000) / limits.rateWindowMs);
    return new AppError(
      429,
      'rate_limited',
      `Too many new tasks: at most ${perMinute} per minute. Try again in ${retryAfter} s.`,
      {
        limit: 'tasks_per_minute',
        used: refusal.used,
        max: refusal.max,
        retryAfterSeconds: retryAfter,
        resetsAt: new Date(Date.now() + refusal.retryAfterMs).toISOString(),
      },
      { 'Retry-After': String(retryAfter) },
    );
  }
  // When one of the running tasks ends is unknown; a few seconds is a fair first wait.
  const retryAfter = 5;
  return new AppError(
    429,
    'too_many_in_flight',
    `You have ${refusal.used} tasks queued or running; at most ${refusal.max} at once. Wait for one to finish, or cancel one.`,
    { limit: 'tasks_in_flight', used: refusal.used, max: refusal.max, retryAfterSeconds: retryAfter },
    { 'Retry-After': String(retryAfter) },
  );
}
