import { describe, expect, it } from 'vitest';
import { bucketLabel, isEmptyUsage, pivotByModel, type ModelRow } from './series';

const row = (bucket: string, model: string, tokensIn: number, costUsd = 0): ModelRow => ({ bucket, model, tokensIn, tokensOut: 0, costUsd, calls: 1 });

describe('usage series', () => {
  it('pivots per-model rows into one point per day, zeros for quiet days, biggest model first', () => {
    const rows = [row('2026-12-01', 'small', 5), row('2026-12-03', 'big', 100), row('2026-12-03', 'small', 1), row('2026-12-01', 'big', 10)];
    const { points, models } = pivotByModel(rows, ['2026-12-01', '2026-12-02', '2026-12-03'], (r) => r.tokensIn);
    expect(models).toEqual(['big', 'small']);
    expect(points).toEqual([
      { bucket: '2026-12-01', big: 10, small: 5 },
      { bucket: '2026-12-02', big: 0, small: 0 },
      { bucket: '2026-12-03', big: 100, small: 1 },
    ]);
  });

  it('keeps a bucket the range list did not name, in order', () => {
    const { points } = pivotByModel([row('2026-12-05', 'm', 1)], ['2026-12-04'], (r) => r.tokensIn);
    expect(points.map((p) => p.bucket)).toEqual(['2026-12-04', '2026-12-05']);
  });

  it('knows an empty range and labels days', () => {
    const empty = {
      range: '7d' as const,
      byModel: [],
      tasks: [{ bucket: 'd', done: 0, failed: 0, cancelled: 0 }],
      successRate: null,
      acceptanceRate: null,
      durationMs: { p50: null, p95: null },
      topUsers: [],
    };
    expect(isEmptyUsage(empty)).toBe(true);
    expect(isEmptyUsage({ ...empty, tasks: [{ bucket: 'd', done: 0, failed: 1, cancelled: 0 }] })).toBe(false);
    expect(bucketLabel('2026-12-06')).toBe('6 Dec');
  });
});
