import { describe, expect, it } from 'vitest';
import { DeliveryLag } from './delivery-lag';

describe('DeliveryLag', () => {
  it('reports nothing before the first event', () => {
    expect(new DeliveryLag().snapshot()).toBeNull();
  });

  it('measures from the time in the stream id, over the most recent events only', () => {
    const lag = new DeliveryLag(4);
    for (const ms of [100, 1, 2, 3, 4]) lag.record(`${1_000_000 - ms}-0`, 1_000_000);
    // The 100 ms event was pushed out by the four after it.
    expect(lag.snapshot()).toEqual({ p50: 3, p99: 4, max: 4, events: 4 });
  });

  it('ignores ids that carry no time, and a clock behind Redis counts as 0', () => {
    const lag = new DeliveryLag();
    lag.record('not-an-id', 5);
    lag.record('0-1', 5);
    lag.record('10-0', 5);
    expect(lag.snapshot()).toEqual({ p50: 0, p99: 0, max: 0, events: 1 });
  });
});
