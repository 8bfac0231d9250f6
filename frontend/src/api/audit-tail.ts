import { auditEntrySchema, readSse, type AuditEntry } from '@patchpad/shared';
import type { Api } from './client';

export type TailState = 'connecting' | 'live' | 'reconnecting';

/**
 * Follows the audit log's live tail (SSE over an authenticated fetch: EventSource cannot send
 * the token) until `signal` aborts. After a dropped connection it resumes with Last-Event-ID
 * from the last entry it delivered, so nothing is lost or shown twice; it waits longer after
 * each failure in a row (up to 30 s) and never gives up while the page is open.
 */
export async function followAuditTail(
  api: Api,
  onEntry: (entry: AuditEntry) => void,
  onState: (state: TailState, error?: string) => void,
  signal: AbortSignal,
  { retryBaseMs = 1000 }: { retryBaseMs?: number } = {},
): Promise<void> {
  let lastId: string | undefined;
  let failures = 0;
  let expired = false;
  while (!signal.aborted) {
    try {
      onState(failures === 0 && !expired ? 'connecting' : 'reconnecting');
      const res = await api.stream('/api/admin/audit/tail', lastId ? { 'Last-Event-ID': lastId } : {}, signal, { freshToken: failures > 0 || expired });
      onState('live');
      failures = 0;
      expired = false;
      for await (const message of readSse(res.body!)) {
        // The server ends a stream when the token that opened it expires: come back with a new one, at once.
        if (message.event === 'auth_expired') expired = true;
        if (message.event !== 'entry') continue;
        const parsed = auditEntrySchema.safeParse(JSON.parse(message.data));
        if (!parsed.success) continue;
        lastId = parsed.data.id;
        onEntry(parsed.data);
      }
      // The server ended the stream (a deploy, a proxy timeout): go on from lastId.
    } catch (err) {
      if (signal.aborted) return;
      failures++;
      onState('reconnecting', (err as Error).message);
    }
    if (!expired) await sleep(Math.min(30_000, retryBaseMs * 2 ** Math.max(0, failures - 1)), signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
