import type { AuditInput } from '../audit/log';
import { AppError } from '../http/errors';
import type { Logger } from '../log';

/** What the project service needs of the audit log. */
export type ProjectAudit = { append(input: AuditInput): Promise<unknown> };

/**
 * Records an action that has already taken effect. If the log cannot be written the client
 * gets a 503 saying so and asking for the same request again: every such action replays
 * idempotently (the same save answers with the version it stored, with the same eventId,
 * which the log keeps once), so the retry completes the record without doing the action twice.
 */
export async function recordDone(audit: ProjectAudit, input: AuditInput & { eventId: string }, done: string, log?: Logger): Promise<void> {
  try {
    await audit.append({ outcome: 'ok', ...input });
  } catch (err) {
    log?.error({ err, eventId: input.eventId }, 'audit append failed after the action took effect');
    throw new AppError(
      503,
      'audit_unavailable',
      `${done}, but the audit log could not record it. Send the same request again: it will not be applied twice.`,
      { eventId: input.eventId },
      { 'Retry-After': '2' },
    );
  }
}
