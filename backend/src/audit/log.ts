import { auditEntrySchema, type AuditEntry, type AuditInput } from '@patchpad/shared';
import { compareStreamIds, defineScript, type RedisClient, type Script } from '@patchpad/shared/server';

export type { AuditInput };

/** How long an event id is remembered: longer than any retry or reaper round that repeats it. */
const EVENT_ID_TTL_MS = 24 * 3600 * 1000;

export function auditKeys(prefix: string) {
  // One hash tag: the append and integrate scripts touch these together.
  const base = `${prefix}:{audit}`;
  return {
    inbox: `${base}:inbox`,
    log: `${base}:log`,
    head: `${base}:head`,
    seen: (eventId: string | undefined) => `${base}:seen:${eventId ?? '~'}`,
    lease: `${base}:integrator`,
    /** Index of the entries with this value of a field (zset: stream id by sequence). */
    index: (field: AuditIndexField, value: string) => `${base}:by:${field}:${value}`,
  };
}

/** The fields an admin filters the log by; outcome is indexed only when it is not 'ok' (the rare ones). */
export type AuditIndexField = 'uid' | 'action' | 'target' | 'outcome';

/** The index keys an entry belongs in. */
export function indexKeysOf(keys: ReturnType<typeof auditKeys>, entry: { uid?: string | null; action?: string; target?: string; outcome?: string }): string[] {
  const out: string[] = [];
  if (entry.uid) out.push(keys.index('uid', entry.uid));
  if (entry.action) out.push(keys.index('action', entry.action));
  if (entry.target) out.push(keys.index('target', entry.target));
  if (entry.outcome && entry.outcome !== 'ok') out.push(keys.index('outcome', entry.outcome));
  return out;
}

/**
 * The append side of the audit log. An append is one O(1) stream write whose place comes from
 * Redis, so it never fails under contention (1,000 at once all land, in order); the chain is
 * built after, in one place, by AuditChain. Entries waiting for it are listed as pending.
 */
export class AuditLog {
  private readonly keys: ReturnType<typeof auditKeys>;
  private readonly appendScript: Script<[number, string]>;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = auditKeys(prefix);
    this.appendScript = defineScript(redis, new URL('./lua/audit-append-2.lua', import.meta.url));
  }

  async append(input: AuditInput): Promise<AuditEntry> {
    const body = { ...input, outcome: input.outcome ?? 'ok', at: new Date().toISOString() };
    const [, id] = await this.appendScript([this.keys.inbox, this.keys.seen(input.eventId)], [JSON.stringify(body), input.eventId ? 1 : 0, EVENT_ID_TTL_MS]);
    return { ...body, id };
  }

  /** The newest entries, chained and pending alike, newest first. */
  async recent(count: number): Promise<AuditEntry[]> {
    const [pending, chained] = await Promise.all([
      this.redis.xrevrange(this.keys.inbox, '+', '-', 'COUNT', count),
      this.redis.xrevrange(this.keys.log, '+', '-', 'COUNT', count),
    ]);
    const entries = [...pending.map((r) => toEntry(r)), ...chained.map((r) => toEntry(r))];
    return entries.sort((a, b) => compareStreamIds(b.id, a.id)).slice(0, count);
  }

  /** Entries accepted but not yet chained. */
  pendingCount(): Promise<number> {
    return this.redis.xlen(this.keys.inbox);
  }
}

/** A stream row as an entry: `e` is the entry's JSON; log rows also carry `s` (seq) and `m` (MAC). */
export function toEntry([id, fields]: [string, string[]]): AuditEntry {
  const map = fieldMap(fields);
  const body = JSON.parse(map.e ?? '{}') as Record<string, unknown>;
  return auditEntrySchema.parse({ ...body, id, ...(map.s ? { seq: Number(map.s) } : {}) });
}

export function fieldMap(fields: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return map;
}
