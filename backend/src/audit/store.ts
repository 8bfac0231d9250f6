import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const SCRIPT = readFileSync(new URL('./lua/audit-append-2.lua', import.meta.url), 'utf8');

/**
 * One audit event. `eventId` makes an append idempotent (a retried write appends once);
 * `outcome` says whether the action took effect ('ok'), was refused ('denied') or failed.
 */
export type AuditInput = {
  action: string;
  uid: string | null;
  target?: string;
  requestId?: string;
  outcome?: 'ok' | 'denied' | 'failed';
  eventId?: string;
  details?: Record<string, unknown>;
};
export type AuditEntry = AuditInput & { at: string; prev: string; hash: string };

/** Canonical bytes of an entry without its hash: what the hash covers. */
function hashOf(prev: string, entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(prev).update('\n').update(JSON.stringify(entry)).digest('hex');
}

/**
 * Append-only audit log as a Redis stream where each entry carries the SHA-256 of the
 * previous one: editing or deleting any entry breaks every hash after it (see verify).
 */
export class AuditLog {
  private readonly stream: string;
  private readonly head: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    // One hash tag for both keys: the append script touches them together.
    this.stream = `${prefix}:{audit}:log`;
    this.head = `${prefix}:{audit}:head`;
    redis.defineCommand('ppAuditAppend', { numberOfKeys: 2, lua: SCRIPT });
  }

  async append(input: AuditInput): Promise<AuditEntry> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const prev = (await this.redis.get(this.head)) ?? '';
      const body = { ...input, at: new Date().toISOString(), prev };
      const entry: AuditEntry = { ...body, hash: hashOf(prev, body) };
      const id = await (this.redis as Redis & { ppAuditAppend: (...a: string[]) => Promise<string | number> }).ppAuditAppend(
        this.stream,
        this.head,
        prev,
        entry.hash,
        JSON.stringify(entry),
      );
      if (id !== 0) return entry;
    }
    throw new Error('audit append kept losing the race for the chain head');
  }

  async recent(count: number): Promise<AuditEntry[]> {
    const rows = await this.redis.xrevrange(this.stream, '+', '-', 'COUNT', count);
    return rows.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as AuditEntry);
  }

  /** Walks the whole chain; returns the first entry whose hash or link is wrong, if any. */
  async verify(): Promise<{ ok: true; entries: number } | { ok: false; brokenAt: string; reason: string }> {
    let prev = '';
    let count = 0;
    let cursor = '-';
    for (;;) {
      const rows = await this.redis.xrange(this.stream, cursor, '+', 'COUNT', 1000);
      for (const [id, fields] of rows) {
        if (cursor !== '-' && id === cursor) continue;
        const { hash, ...body } = JSON.parse(fields[1] ?? '{}') as AuditEntry;
        if (body.prev !== prev) return { ok: false, brokenAt: id, reason: 'link to the previous entry is wrong' };
        if (hashOf(prev, body) !== hash) return { ok: false, brokenAt: id, reason: 'entry was modified' };
        prev = hash;
        count++;
      }
      if (rows.length < 1000) break;
      cursor = rows[rows.length - 1]![0];
    }
    const head = (await this.redis.get(this.head)) ?? '';
    if (head !== prev) return { ok: false, brokenAt: 'head', reason: 'entries were removed from the end' };
    return { ok: true, entries: count };
  }
}
