import { z } from 'zod';

export const auditOutcomeSchema = z.enum(['ok', 'denied', 'failed']);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

/** What a caller records: who did what to which target, and whether it took effect. */
export const auditInputSchema = z.object({
  action: z.string().regex(/^[a-z][a-z_]*(\.[a-z_]+)+$/, 'an action is dotted lowercase words, e.g. task.create'),
  uid: z.string().nullable(),
  target: z.string().max(300).optional(),
  requestId: z.string().max(100).optional(),
  outcome: auditOutcomeSchema.optional(),
  /** Makes the append idempotent: a second append with the same id is a no-op. */
  eventId: z.string().max(300).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditInput = z.infer<typeof auditInputSchema>;

/** One entry as stored: the input, when it was accepted, and (once integrated) its place in the chain. */
export const auditEntrySchema = auditInputSchema.extend({
  /** The Redis stream id: time of acceptance plus a sequence, unique and ordered. */
  id: z.string(),
  at: z.string(),
  outcome: auditOutcomeSchema,
  /** Position in the keyed chain; absent while the entry waits to be integrated. */
  seq: z.number().int().min(1).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** A sealed checkpoint ("signed tree head"): the chain's state at `seq`, kept in the project store. */
export const auditCheckpointSchema = z.object({
  seq: z.number().int().min(1),
  id: z.string(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  /** The store object holding the entries since the previous checkpoint. */
  segment: z.string(),
  segmentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Which key sealed it (a hash of the key, never the key). */
  keyId: z.string(),
  /** HMAC over the fields above with the audit key: a checkpoint cannot be forged without it. */
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditCheckpoint = z.infer<typeof auditCheckpointSchema>;

export const auditVerifySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int(), pending: z.number().int(), checkpoints: z.number().int() }),
  z.object({
    ok: z.literal(false),
    entries: z.number().int(),
    pending: z.number().int(),
    checkpoints: z.number().int(),
    /** The first entry that does not verify (stream id and sequence), or what else is wrong. */
    firstBad: z.object({ id: z.string().nullable(), seq: z.number().int().nullable() }),
    reason: z.string(),
  }),
]);
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;
