import { readSse, taskEventSchema, TERMINAL_STATUSES, type TaskEvent } from '@patchpad/shared';
import type { Api } from './client';

/**
 * Follows a task's event stream until a terminal status, reconnecting with Last-Event-ID
 * after a dropped connection so no event is lost or repeated. When the server ends a stream
 * because the sign-in token expired (`auth_expired`), the next connection carries a fresh
 * token. Returns when the task ends or `signal` aborts.
 */
export async function followTask(
  api: Api,
  taskId: string,
  onEvent: (event: TaskEvent) => void,
  signal: AbortSignal,
  { retryBaseMs = 500 }: { retryBaseMs?: number } = {},
): Promise<void> {
  let lastId: string | undefined;
  let finished = false;
  let freshToken = false;
  for (let attempt = 0; !finished && !signal.aborted; attempt++) {
    try {
      const res = await api.stream(`/api/agent/tasks/${taskId}/events`, lastId ? { 'Last-Event-ID': lastId } : {}, signal, { freshToken });
      freshToken = false;
      for await (const message of readSse(res.body!)) {
        if (message.id) lastId = message.id;
        if (message.event === 'auth_expired') freshToken = true;
        const parsed = taskEventSchema.safeParse(JSON.parse(message.data));
        if (!parsed.success) continue;
        onEvent(parsed.data);
        if (parsed.data.type === 'status' && TERMINAL_STATUSES.includes(parsed.data.status)) {
          finished = true;
          break;
        }
      }
      attempt = 0;
      // The server closed early (a deploy, a proxy timeout): resume shortly from lastId.
      if (!finished) await new Promise((r) => setTimeout(r, retryBaseMs / 2));
    } catch (err) {
      if (signal.aborted) return;
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, retryBaseMs * 2 ** attempt));
    }
  }
}
