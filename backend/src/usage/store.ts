import type { RedisClient } from '@patchpad/shared/server';
import type { DayRange, TopUser, UsageDay, UsageRecord, UsageTotals } from '@patchpad/shared';
import { defineScript, type Script as RedisScript } from '@patchpad/shared/server';
import { METRICS, usageKeys, type Metric } from './keys';
import { rollUp } from './rollup';

const DAY_MS = 86_400_000;
/** Longest range one read may span. */
export const MAX_RANGE_DAYS = 366;

export type UsageStoreOptions = {
  retentionDays: number;
  maxCallsPerDay?: number;
  /** Calls are booked in batches: at most this long after they end, or when this many wait. */
  flushMs?: number;
  maxBatch?: number;
  /** Told when a batch could not be written (kept for the next try while there is room). */
  onError?: (err: Error, pending: number) => void;
};

/** Records kept for a retry while Redis is away; beyond this the oldest are dropped (and logged). */
const MAX_PENDING = 20_000;

/**
 * Usage per user / model / UTC day in Redis hashes, kept for `retentionDays`. Calls are
 * booked in small batches (one script per day per batch, increments added up beforehand), so
 * a busy gateway spends one Redis round trip per batch rather than one per call. Reads flush
 * first, so this process always reads its own calls.
 */
export class UsageStore {
  private readonly recordScript: RedisScript;
  private pending: UsageRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly options: UsageStoreOptions,
  ) {
    this.recordScript = defineScript(redis, new URL('./lua/usage-record-n.lua', import.meta.url));
  }

  record(record: UsageRecord): void {
    this.pending.push(record);
    if (this.pending.length >= (this.options.maxBatch ?? 200)) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs ?? 250);
      this.timer.unref();
    }
  }

  /** Writes what is waiting; resolves when it is in Redis (or reported to onError). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      const byDay = new Map<string, UsageRecord[]>();
      for (const r of batch) {
        const day = r.at.slice(0, 10);
        const records = byDay.get(day);
        if (records) records.push(r);
        else byDay.set(day, [r]);
      }
      for (const [day, records] of byDay) {
        try {
          await this.write(day, records);
        } catch (err) {
          // Keep them for the next flush (Redis may be back), within a bound.
          this.pending = [...records, ...this.pending].slice(-MAX_PENDING);
          this.options.onError?.(err as Error, this.pending.length);
          if (!this.timer) {
            this.timer = setTimeout(() => void this.flush(), 1000);
            this.timer.unref();
          }
        }
      }
    });
    return this.flushing;
  }

  private async write(day: string, records: UsageRecord[]): Promise<void> {
    const keys = usageKeys(this.prefix, day);
    const { models, users, perUser } = rollUp(records);
    const userKeys = [...perUser.keys()];
    const expireAt = Math.floor((Date.parse(`${day}T00:00:00Z`) + (this.options.retentionDays + 1) * DAY_MS) / 1000);
    const args: (string | number)[] = [expireAt, this.options.maxCallsPerDay ?? 100_000, models.size, users.size];
    const triples: (string | number)[] = [];
    userKeys.forEach((uid, i) => {
      for (const [field, n] of perUser.get(uid)!) triples.push(i + 1, field, n);
    });
    args.push(triples.length / 3, records.length);
    for (const [field, n] of models) args.push(field, n);
    for (const [field, n] of users) args.push(field, n);
    args.push(...triples, ...records.map((r) => JSON.stringify(r)));
    await this.recordScript([keys.models, keys.users, keys.calls, ...userKeys.map((uid) => keys.user(uid))], args);
  }

  /** Every day of the range with its totals, overall and per model (days without calls are zeros). */
  async usageByDay(range: DayRange): Promise<UsageDay[]> {
    await this.flush();
    const days = daysOf(range);
    const hashes = await Promise.all(days.map((day) => this.redis.hgetall(usageKeys(this.prefix, day).models)));
    return days.map((day, i) => dayOf(day, hashes[i]!));
  }

  /** One user's days in the range, overall and per model. */
  async usageForUser(uid: string, range: DayRange): Promise<UsageDay[]> {
    await this.flush();
    const days = daysOf(range);
    const hashes = await Promise.all(days.map((day) => this.redis.hgetall(usageKeys(this.prefix, day).user(uid))));
    return days.map((day, i) => dayOf(day, hashes[i]!));
  }

  /** The users who cost most over the range (ties: more tokens first, then uid). */
  async topUsers(range: DayRange, limit = 10): Promise<TopUser[]> {
    await this.flush();
    const hashes = await Promise.all(daysOf(range).map((day) => this.redis.hgetall(usageKeys(this.prefix, day).users)));
    const byUser = new Map<string, UsageTotals>();
    for (const hash of hashes) for (const [uid, totals] of group(hash)) byUser.set(uid, add(byUser.get(uid) ?? zero(), totals));
    return [...byUser.entries()]
      .map(([uid, t]) => ({ uid, costUsd: t.costUsd, tokensIn: t.tokensIn, tokensOut: t.tokensOut, calls: t.calls }))
      .sort((a, b) => b.costUsd - a.costUsd || b.tokensIn + b.tokensOut - (a.tokensIn + a.tokensOut) || a.uid.localeCompare(b.uid))
      .slice(0, limit);
  }
}

/** The UTC days from `from` to `to` inclusive; refuses a range longer than MAX_RANGE_DAYS. */
export function daysOf(range: DayRange): string[] {
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const end = Date.parse(`${range.to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) throw new RangeError(`not a day range: ${range.from}..${range.to}`);
  const count = (end - start) / DAY_MS + 1;
  if (count > MAX_RANGE_DAYS) throw new RangeError(`a range may span at most ${MAX_RANGE_DAYS} days`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}

function zero(): UsageTotals {
  return { calls: 0, errors: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMsTotal: 0 };
}

function add(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    calls: a.calls + b.calls,
    errors: a.errors + b.errors,
    tokensIn: a.tokensIn + b.tokensIn,
    tokensOut: a.tokensOut + b.tokensOut,
    costUsd: round9(a.costUsd + b.costUsd),
    latencyMsTotal: a.latencyMsTotal + b.latencyMsTotal,
  };
}

const round9 = (n: number) => Math.round(n * 1e9) / 1e9;

/** `<name>:<metric>` fields → totals per name (names may contain ':'; metrics never do). */
function group(hash: Record<string, string>): Map<string, UsageTotals> {
  const out = new Map<string, UsageTotals>();
  for (const [field, value] of Object.entries(hash)) {
    const cut = field.lastIndexOf(':');
    const name = field.slice(0, cut);
    const metric = field.slice(cut + 1) as Metric;
    if (cut <= 0 || !METRICS.includes(metric)) continue;
    const t = out.get(name) ?? zero();
    const n = Number(value);
    if (metric === 'calls') t.calls += n;
    else if (metric === 'errors') t.errors += n;
    else if (metric === 'in') t.tokensIn += n;
    else if (metric === 'out') t.tokensOut += n;
    else if (metric === 'cost') t.costUsd = round9(t.costUsd + n / 1e9);
    else t.latencyMsTotal += n;
    out.set(name, t);
  }
  return out;
}

function dayOf(day: string, hash: Record<string, string>): UsageDay {
  const byModel = Object.fromEntries(group(hash));
  return { day, total: Object.values(byModel).reduce(add, zero()), byModel };
}
