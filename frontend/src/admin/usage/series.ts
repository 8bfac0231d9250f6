import type { AdminUsage } from '@patchpad/shared';

export type ModelRow = AdminUsage['byModel'][number];
/** One chart point: the bucket (day) and a value per model. */
export type Point = { bucket: string } & Record<string, number | string>;

/**
 * Per-model rows → one point per bucket with a key per model, every bucket of the range
 * present (a day without calls is a zero, not a gap). Models ordered by their total, largest
 * first, so the stack and the legend read the same way.
 */
export function pivotByModel(rows: readonly ModelRow[], buckets: readonly string[], value: (row: ModelRow) => number): { points: Point[]; models: string[] } {
  const totals = new Map<string, number>();
  const cells = new Map<string, number>();
  for (const row of rows) {
    const v = value(row);
    totals.set(row.model, (totals.get(row.model) ?? 0) + v);
    cells.set(`${row.bucket}\u0000${row.model}`, (cells.get(`${row.bucket}\u0000${row.model}`) ?? 0) + v);
  }
  const models = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([m]) => m);
  const allBuckets = [...new Set([...buckets, ...rows.map((r) => r.bucket)])].sort();
  const points = allBuckets.map((bucket) => {
    const point: Point = { bucket };
    for (const m of models) point[m] = cells.get(`${bucket}\u0000${m}`) ?? 0;
    return point;
  });
  return { points, models };
}

/** True when the range has nothing to chart at all. */
export const isEmptyUsage = (u: AdminUsage) => u.byModel.length === 0 && u.tasks.every((t) => t.done + t.failed + t.cancelled === 0) && u.topUsers.length === 0;

/** "2026-12-06" → "6 Dec" for the axis. */
export function bucketLabel(bucket: string): string {
  const d = new Date(`${bucket.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return bucket;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

const PALETTE = ['#5b8cff', '#f5a524', '#17c964', '#f31260', '#9353d3', '#06b6d4', '#ff7a45', '#a3e635'];
export const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;
