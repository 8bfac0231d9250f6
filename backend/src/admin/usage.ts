import type { AdminUsage, UsageRange } from '@patchpad/shared';
import { DURATION_BUCKETS_MS, quotaPeriods, statsKeys, type RedisClient } from '@patchpad/shared/server';
import type { AccountStore } from '../quota/accounts';

type Totals = { calls: number; tokensIn: number; tokensOut: number; costUsd: number };
type Day = { day: string; total: Totals; byModel: Record<string, Totals> };
type DayRange = { from: string; to: string };

/** The gateway's usage rollups (per user / model / day) as the admin views read them. */
export interface UsageReader {
  usageByDay(range: DayRange): Promise<Day[]>;
  usageForUser(uid: string, range: DayRange): Promise<Day[]>;
  topUsers(range: DayRange, limit?: number): Promise<({ uid: string } & Totals)[]>;
}

const DAY_MS = 24 * 3600 * 1000;
const RANGE_DAYS: Record<UsageRange, number> = { '24h': 2, '7d': 7, '30d': 30 };

/** The UTC days a range covers, oldest first (24 h spans today and yesterday). */
export function rangeDays(range: UsageRange, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: RANGE_DAYS[range] }, (_, i) => new Date(today - (RANGE_DAYS[range] - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/**
 * A quantile from the duration histogram: the upper bound of the bucket it falls in, so an
 * over-estimate by at most one bucket (the buckets double, roughly).
 */
export function histogramQuantile(counts: Map<string, number>, q: number): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const bound of DURATION_BUCKETS_MS) {
    seen += counts.get(bound === Infinity ? 'inf' : String(bound)) ?? 0;
    if (seen >= q * total) return bound === Infinity ? DURATION_BUCKETS_MS[DURATION_BUCKETS_MS.length - 2]! : bound;
  }
  return null;
}

const ratio = (a: number, b: number) => (a + b === 0 ? null : a / (a + b));

/** The admin's usage page: tokens and cost per model per day, task outcomes, rates, durations, top users. */
export async function adminUsage(
  deps: { redis: RedisClient; prefix: string; usage: UsageReader; accounts: AccountStore },
  range: UsageRange,
): Promise<AdminUsage> {
  const days = rangeDays(range);
  const span = { from: days[0]!, to: days[days.length - 1]! };
  const keys = statsKeys(deps.prefix);
  const compact = (day: string) => quotaPeriods(new Date(`${day}T00:00:00Z`)).day;
  const [byDay, top, outcomes, durations, hunks] = await Promise.all([
    deps.usage.usageByDay(span),
    deps.usage.topUsers(span, 10),
    Promise.all(days.map((d) => deps.redis.hgetall(keys.outcomes(compact(d))))),
    Promise.all(days.map((d) => deps.redis.hgetall(keys.durations(compact(d))))),
    Promise.all(days.map((d) => deps.redis.hgetall(keys.hunks(compact(d))))),
  ]);
  const tasks = days.map((bucket, i) => ({
    bucket,
    done: Number(outcomes[i]!.done ?? 0),
    failed: Number(outcomes[i]!.failed ?? 0),
    cancelled: Number(outcomes[i]!.cancelled ?? 0),
  }));
  const histogram = new Map<string, number>();
  for (const h of durations) for (const [bucket, n] of Object.entries(h)) histogram.set(bucket, (histogram.get(bucket) ?? 0) + Number(n));
  const sum = (rows: Record<string, string>[], field: string) => rows.reduce((n, r) => n + Number(r[field] ?? 0), 0);
  const profiles = await Promise.all(top.map((u) => deps.accounts.profile(u.uid)));
  return {
    range,
    byModel: byDay.flatMap((d) =>
      Object.entries(d.byModel).map(([model, t]) => ({
        bucket: d.day,
        model,
        tokensIn: t.tokensIn,
        tokensOut: t.tokensOut,
        costUsd: t.costUsd,
        calls: t.calls,
      })),
    ),
    tasks,
    successRate: ratio(
      tasks.reduce((n, t) => n + t.done, 0),
      tasks.reduce((n, t) => n + t.failed, 0),
    ),
    acceptanceRate: ratio(sum(hunks, 'accepted'), sum(hunks, 'rejected')),
    durationMs: { p50: histogramQuantile(histogram, 0.5), p95: histogramQuantile(histogram, 0.95) },
    topUsers: top.map((u, i) => ({ uid: u.uid, email: profiles[i]!.email, tokens: u.tokensIn + u.tokensOut, costUsd: u.costUsd })),
  };
}
