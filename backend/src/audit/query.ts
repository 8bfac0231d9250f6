import type { AdminAuditQuery, AuditEntry } from '@patchpad/shared';
import type { RedisClient } from '@patchpad/shared/server';
import { auditKeys, toEntry, type AuditIndexField } from './log';

export type AuditFilter = Omit<AdminAuditQuery, 'cursor' | 'limit'>;

/** How many candidates one page may examine before it returns what it has (and a cursor on). */
const SCAN_BUDGET = 5_000;
const BATCH = 200;

const msOf = (id: string) => Number(id.slice(0, id.indexOf('-')));

function matches(entry: AuditEntry, f: AuditFilter): boolean {
  if (f.uid !== undefined && entry.uid !== f.uid) return false;
  if (f.action !== undefined && entry.action !== f.action) return false;
  if (f.target !== undefined && entry.target !== f.target) return false;
  if (f.outcome !== undefined && entry.outcome !== f.outcome) return false;
  const ms = msOf(entry.id);
  if (f.from !== undefined && ms < Date.parse(f.from)) return false;
  if (f.to !== undefined && ms > Date.parse(f.to)) return false;
  return true;
}

/**
 * Reads the chained audit log newest first, filtered, a page at a time. With a field filter it
 * walks the smallest matching index (filled by the integrator, in the same script that chains
 * an entry) and checks the rest of the filter on each candidate; without one it walks the log
 * itself from the `to` time. Either way a page costs what it returns, not the log's size, so
 * millions of entries page as fast as hundreds. Cursors are stream ids.
 */
export class AuditQuery {
  private readonly keys: ReturnType<typeof auditKeys>;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = auditKeys(prefix);
  }

  async page(filter: AuditFilter, limit: number, cursor?: string): Promise<{ entries: AuditEntry[]; next: string | null }> {
    const indexes = (['uid', 'action', 'target', 'outcome'] as AuditIndexField[])
      .filter((f) => filter[f] !== undefined && !(f === 'outcome' && filter.outcome === 'ok'))
      .map((f) => this.keys.index(f, String(filter[f])));
    return indexes.length === 0 ? this.pageLog(filter, limit, cursor) : this.pageIndex(indexes, filter, limit, cursor);
  }

  /** Every matching entry, oldest first, without holding them all (the export). */
  async *all(filter: AuditFilter): AsyncGenerator<AuditEntry> {
    const start = filter.from ? `${Date.parse(filter.from)}-0` : '-';
    const end = filter.to ? `${Date.parse(filter.to)}-18446744073709551615` : '+';
    for (let cursor = start; ;) {
      const rows = await this.redis.xrange(this.keys.log, cursor, end, 'COUNT', 1000);
      for (const row of rows) {
        const entry = toEntry(row);
        if (matches(entry, filter)) yield entry;
      }
      if (rows.length < 1000) return;
      cursor = `(${rows[rows.length - 1]![0]}`;
    }
  }

  /** Entries chained after `afterId` (the live tail), oldest first. */
  async after(afterId: string, count = 200): Promise<AuditEntry[]> {
    const rows = await this.redis.xrange(this.keys.log, afterId === '0' ? '-' : `(${afterId}`, '+', 'COUNT', count);
    return rows.map((r) => toEntry(r));
  }

  /** The newest chained entry's id, where a live tail starts. */
  async newestId(): Promise<string> {
    const rows = await this.redis.xrevrange(this.keys.log, '+', '-', 'COUNT', 1);
    return rows[0]?.[0] ?? '0';
  }

  private async pageLog(filter: AuditFilter, limit: number, cursor?: string) {
    const start = cursor ? `(${cursor}` : filter.to ? `${Date.parse(filter.to)}-18446744073709551615` : '+';
    const stop = filter.from ? `${Date.parse(filter.from)}-0` : '-';
    const rows = await this.redis.xrevrange(this.keys.log, start, stop, 'COUNT', limit);
    const entries = rows.map((r) => toEntry(r)).filter((e) => matches(e, filter));
    return { entries, next: rows.length === limit ? rows[rows.length - 1]![0] : null };
  }

  private async pageIndex(indexes: string[], filter: AuditFilter, limit: number, cursor?: string) {
    const sizes = await Promise.all(indexes.map((k) => this.redis.zcard(k)));
    const smallest = indexes[sizes.indexOf(Math.min(...sizes))]!;
    // Index scores are sequence numbers; the cursor is a stream id, whose sequence we look up.
    let max = cursor ? `(${(await this.redis.zscore(smallest, cursor)) ?? '+inf'}` : '+inf';
    const entries: AuditEntry[] = [];
    let scanned = 0;
    let lastId: string | null = null;
    while (entries.length < limit && scanned < SCAN_BUDGET) {
      const ids = await this.redis.zrevrangebyscore(smallest, max, '-inf', 'WITHSCORES', 'LIMIT', 0, BATCH);
      if (ids.length === 0) return { entries, next: null };
      const batch: { id: string; seq: string }[] = [];
      for (let i = 0; i < ids.length; i += 2) batch.push({ id: ids[i]!, seq: ids[i + 1]! });
      const rows = await Promise.all(batch.map((b) => this.redis.xrange(this.keys.log, b.id, b.id)));
      for (const [i, row] of rows.entries()) {
        scanned++;
        lastId = batch[i]!.id;
        const found = row[0];
        if (!found) continue;
        const entry = toEntry(found);
        if (filter.from !== undefined && msOf(entry.id) < Date.parse(filter.from)) return { entries, next: null };
        if (matches(entry, filter)) entries.push(entry);
        if (entries.length === limit) return { entries, next: entry.id };
      }
      max = `(${batch[batch.length - 1]!.seq}`;
      if (batch.length < BATCH) return { entries, next: null };
    }
    return { entries, next: lastId };
  }
}
