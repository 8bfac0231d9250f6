import { z } from 'zod';
import { providerKindSchema } from './model';

/** How one gateway call ended. */
export const usageOutcomeSchema = z.enum(['ok', 'error', 'client_aborted']);
export type UsageOutcome = z.infer<typeof usageOutcomeSchema>;

/** Where a token count came from: the provider's own usage report, or our tokenizer. */
export const tokenSourceSchema = z.enum(['provider', 'tokenizer']);

/** One call through the gateway, as recorded (rolled up per user / model / day). */
export const usageRecordSchema = z.object({
  at: z.string(),
  /** The model that answered, else the one asked for. */
  model: z.string(),
  provider: providerKindSchema.or(z.literal('none')),
  /** The user the call was made for (the caller's `user` field); "_service" when none. */
  uid: z.string(),
  taskId: z.string().nullable(),
  tokensIn: z.number().int().min(0),
  tokensOut: z.number().int().min(0),
  tokenSource: tokenSourceSchema,
  /** Cost from the registry's prices, in billionths of a US dollar (integers add up exactly). */
  costNanoUsd: z.number().int().min(0),
  latencyMs: z.number().min(0),
  outcome: usageOutcomeSchema,
  /** Upstream attempts (retries and fallbacks included). */
  attempts: z.number().int().min(0),
  errorCode: z.string().optional(),
});
export type UsageRecord = z.infer<typeof usageRecordSchema>;

/** Totals of a set of calls. */
export const usageTotalsSchema = z.object({
  calls: z.number().int(),
  errors: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  latencyMsTotal: z.number(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

export const dayRangeSchema = z
  .object({
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD'),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD'),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] });
export type DayRange = z.infer<typeof dayRangeSchema>;

/** One day of usage, overall and per model. */
export const usageDaySchema = z.object({
  day: z.string(),
  total: usageTotalsSchema,
  byModel: z.record(z.string(), usageTotalsSchema),
});
export type UsageDay = z.infer<typeof usageDaySchema>;

export const topUserSchema = z.object({
  uid: z.string(),
  costUsd: z.number(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  calls: z.number().int(),
});
export type TopUser = z.infer<typeof topUserSchema>;
