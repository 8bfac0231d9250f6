import { z } from 'zod';
import { auditEntrySchema, auditOutcomeSchema, auditVerifySchema } from './audit';
import { planSchema } from './plan';
import { quotaOverridesSchema } from './quota';
import { taskErrorSchema, taskMetricsSchema, taskModeSchema, taskStatusSchema } from './task';

/**
 * The admin API (`/api/admin/*`, admin role only): users and their allowances, usage, the audit
 * log, health and tasks across users. Every change an admin makes is an audit event.
 */

const limit = z.coerce.number().int().min(1).max(200).default(50);
/** Opaque: hand back what the previous page returned as `next`. */
const cursor = z.string().max(200).optional();

// ---- Users ----------------------------------------------------------------------------------

export const adminUserSortSchema = z.enum(['last_active', 'email', 'tokens']);
export const adminUserQuerySchema = z
  .object({ q: z.string().trim().max(200).optional(), sort: adminUserSortSchema.default('last_active'), cursor, limit })
  .strict();
export type AdminUserQuery = z.infer<typeof adminUserQuerySchema>;

export const adminUserSchema = z.object({
  uid: z.string(),
  email: z.string().nullable(),
  plan: planSchema,
  admin: z.boolean(),
  disabled: z.boolean(),
  disabledReason: z.string().optional(),
  overrides: quotaOverridesSchema,
  tokens: z.object({ used: z.number(), reserved: z.number(), limit: z.number() }),
  tasksToday: z.object({ used: z.number(), limit: z.number() }),
  /** Model cost this month in USD, from the usage rollups. */
  costUsd: z.number(),
  lastActiveAt: z.string().nullable(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const adminUserPageSchema = z.object({ users: z.array(adminUserSchema), next: z.string().nullable(), total: z.number().int() });
export type AdminUserPage = z.infer<typeof adminUserPageSchema>;

/** What an admin may change about a user; each field present is applied and audited. */
export const adminUserPatchSchema = z
  .object({
    plan: planSchema.optional(),
    /** Replaces the user's overrides; `{}` removes them. */
    overrides: quotaOverridesSchema.optional(),
    disabled: z.boolean().optional(),
    disabledReason: z.string().trim().max(500).optional(),
    admin: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'send at least one of plan, overrides, disabled, disabledReason, admin');
export type AdminUserPatch = z.infer<typeof adminUserPatchSchema>;

// ---- Usage ----------------------------------------------------------------------------------

export const usageRangeSchema = z.enum(['24h', '7d', '30d']);
export type UsageRange = z.infer<typeof usageRangeSchema>;
export const adminUsageQuerySchema = z.object({ range: usageRangeSchema.default('7d') }).strict();

export const adminUsageSchema = z.object({
  range: usageRangeSchema,
  /** One row per UTC day (or hour, for 24h) and model. */
  byModel: z.array(z.object({ bucket: z.string(), model: z.string(), tokensIn: z.number(), tokensOut: z.number(), costUsd: z.number(), calls: z.number() })),
  /** Tasks that ended per bucket, by how they ended. */
  tasks: z.array(z.object({ bucket: z.string(), done: z.number(), failed: z.number(), cancelled: z.number() })),
  successRate: z.number().nullable(),
  /** Accepted hunks ÷ hunks decided, from the users' per-hunk decisions. */
  acceptanceRate: z.number().nullable(),
  durationMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  topUsers: z.array(z.object({ uid: z.string(), email: z.string().nullable(), tokens: z.number(), costUsd: z.number() })),
});
export type AdminUsage = z.infer<typeof adminUsageSchema>;

// ---- Audit ----------------------------------------------------------------------------------

export const adminAuditQuerySchema = z
  .object({
    uid: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    target: z.string().max(300).optional(),
    outcome: auditOutcomeSchema.optional(),
    /** ISO times, inclusive. */
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    cursor,
    limit,
  })
  .strict();
export type AdminAuditQuery = z.infer<typeof adminAuditQuerySchema>;

export const adminAuditPageSchema = z.object({ entries: z.array(auditEntrySchema), next: z.string().nullable() });
export type AdminAuditPage = z.infer<typeof adminAuditPageSchema>;
export const adminAuditExportQuerySchema = adminAuditQuerySchema.omit({ cursor: true, limit: true }).extend({ format: z.enum(['csv', 'json']).default('csv') });
export { auditVerifySchema as adminAuditVerifySchema };

// ---- Health ---------------------------------------------------------------------------------

export const adminHealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  redis: z.object({
    ok: z.boolean(),
    ms: z.number(),
    usedMemoryBytes: z.number().nullable(),
    connectedClients: z.number().nullable(),
    error: z.string().optional(),
  }),
  store: z.object({ ok: z.boolean(), ms: z.number(), driver: z.string(), error: z.string().optional() }),
  /** null: that part did not answer in time (the rest still shows). */
  queue: z.object({ waiting: z.number(), active: z.number(), delayed: z.number(), failed: z.number() }).nullable(),
  tasks: z.object({ live: z.number(), stuck: z.number(), reaped: z.record(z.string(), z.number()) }).nullable(),
  workers: z.array(z.object({ id: z.string(), host: z.string(), concurrency: z.number(), running: z.number(), lastSeenAt: z.string() })),
  audit: z.object({ pending: z.number(), chained: z.number() }).nullable(),
  /** Each provider's circuit breaker and last error, as the gateway reports them. */
  providers: z.array(z.object({ provider: z.string(), state: z.string(), lastError: z.string().nullable() })),
});
export type AdminHealth = z.infer<typeof adminHealthSchema>;

// ---- Tasks ----------------------------------------------------------------------------------

export const adminTaskQuerySchema = z.object({ status: z.enum(['live', 'recent']).default('live'), cursor, limit }).strict();

export const adminTaskRowSchema = z.object({
  id: z.string(),
  uid: z.string(),
  /** The owner's email, so an admin sees who rather than an id (null: never recorded). */
  email: z.string().nullable(),
  status: taskStatusSchema,
  mode: taskModeSchema,
  model: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  durationMs: z.number().nullable(),
  tokens: z.number(),
});
export type AdminTaskRow = z.infer<typeof adminTaskRowSchema>;
export const adminTaskPageSchema = z.object({ tasks: z.array(adminTaskRowSchema), next: z.string().nullable() });
export type AdminTaskPage = z.infer<typeof adminTaskPageSchema>;

/** One task in full for an admin: its phases, metrics and error, not its input files. */
export const adminTaskDetailSchema = adminTaskRowSchema.extend({
  prompt: z.string(),
  paths: z.array(z.string()),
  metrics: taskMetricsSchema,
  error: taskErrorSchema.optional(),
});
export type AdminTaskDetail = z.infer<typeof adminTaskDetailSchema>;

// ---- Who is signed in ------------------------------------------------------------------------

/** GET /api/me: the signed-in user (`admin` decides whether the SPA shows the admin view) and their plan. */
export const meResponseSchema = z.object({
  user: z.object({ uid: z.string(), email: z.string().nullable(), admin: z.boolean() }),
  plan: planSchema,
});
export type MeResponse = z.infer<typeof meResponseSchema>;
