import { describe, expect, it } from 'vitest';
import { nextLeaseSize } from './rate-limit';

describe('gateway rate-limit lease size', () => {
  const now = 10_000;
  it('doubles when the last lease ran out before its second was up', () => {
    expect(nextLeaseSize({ tokens: 0, until: now + 400, size: 8 }, now, 1000)).toBe(16);
  });
  it('halves when tokens were left when it lapsed, never below one', () => {
    expect(nextLeaseSize({ tokens: 3, until: now - 1, size: 8 }, now, 1000)).toBe(4);
    expect(nextLeaseSize({ tokens: 1, until: now - 1, size: 1 }, now, 1000)).toBe(1);
  });
  it('keeps its size when it was used up but lapsed before the next call', () => {
    expect(nextLeaseSize({ tokens: 0, until: now - 1, size: 8 }, now, 1000)).toBe(8);
  });
  it('never passes the cap (1 % of a minute of the limit)', () => {
    expect(nextLeaseSize({ tokens: 0, until: now + 400, size: 600 }, now, 1000)).toBe(1000);
  });
});
