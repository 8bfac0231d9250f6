import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatMs, formatPercent, formatTokens, formatUsd } from './format';

describe('admin formats', () => {
  it.each([
    [formatTokens(950), '950'],
    [formatTokens(12_345), '12k'],
    [formatTokens(2_500_000), '2.5M'],
    [formatTokens(3_000_000_000), '3.0B'],
    [formatUsd(0), '$0'],
    [formatUsd(0.0042), '$0.0042'],
    [formatUsd(12.345), '$12.35'],
    [formatBytes(null), '–'],
    [formatBytes(512), '512 B'],
    [formatBytes(3 * 1024 * 1024), '3.0 MiB'],
    [formatMs(undefined), '–'],
    [formatMs(42.4), '42 ms'],
    [formatMs(1500), '1.5 s'],
    [formatMs(90_000), '1.5 min'],
    [formatPercent(null), '–'],
    [formatPercent(0.9876), '98.8%'],
  ])('%s → %s', (got, want) => {
    expect(got).toBe(want);
  });

  it('says how long ago, then the date', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('2026-12-06T11:59:30Z', now)).toBe('just now');
    expect(formatAgo('2026-12-06T11:45:00Z', now)).toBe('15 min ago');
    expect(formatAgo('2026-12-06T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2026-12-04T12:00:00Z', now)).toBe('2 d ago');
    expect(formatAgo('2026-11-01T12:00:00Z', now)).toBe('2026-11-01');
  });
});
