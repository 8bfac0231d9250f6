import { z } from 'zod';
import { planSchema } from './plan';

/** The allowances of a plan, or an admin's override of some of them for one user. */
export const quotaLimitsSchema = z.object({
  tokensPerMonth: z.number().int().min(0),
  tasksPerDay: z.number().int().min(0),
  tasksInFlight: z.number().int().min(1),
});
export type QuotaLimits = z.infer<typeof quotaLimitsSchema>;

export const quotaOverridesSchema = quotaLimitsSchema.partial().strict();
export type QuotaOverrides = z.infer<typeof quotaOverridesSchema>;

/** A user's account as the service keeps it: plan, admin overrides, and whether it may be used. */
export const accountSchema = z.object({
  uid: z.string(),
  plan: planSchema,
  overrides: quotaOverridesSchema,
  disabled: z.boolean(),
  disabledReason: z.string().max(500).optional(),
});
export type Account = z.infer<typeof accountSchema>;

/** What `/api/me/usage` answers: each allowance with what is used and when it resets. */
export const usageSummarySchema = z.object({
  plan: planSchema,
  tokens: z.object({ used: z.number(), reserved: z.number(), limit: z.number(), resetsAt: z.string() }),
  tasksToday: z.object({ used: z.number(), limit: z.number(), resetsAt: z.string() }),
  tasksInFlight: z.object({ used: z.number(), limit: z.number() }),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;

/**
 * Which limit refused a request, in every 429's `error.details`: the limit's name, how much of
 * it is used, its size, and when to try again (and, for periodic limits, when it resets).
 */
export const limitRefusalSchema = z.object({
  limit: z.enum(['tasks_per_minute', 'tasks_in_flight', 'tasks_per_day', 'tokens_per_month', 'streams_open', 'unauthenticated_per_minute']),
  used: z.number(),
  max: z.number(),
  retryAfterSeconds: z.number(),
  resetsAt: z.string().optional(),
});
export type LimitRefusal = z.infer<typeof limitRefusalSchema>;
