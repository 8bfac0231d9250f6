import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TextThrottle } from './throttle';

describe('TextThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('batches pushes within the interval into one emit, in order', () => {
    const out: string[] = [];
    const t = new TextThrottle((s) => out.push(s), 100, 1000);
    t.push('a');
    t.push('b');
    expect(out).toEqual([]);
    vi.advanceTimersByTime(100);
    t.push('c');
    t.flush();
    expect(out).toEqual(['ab', 'c']);
  });

  it('emits at once when the batch grows past maxChars, and never emits empty text', () => {
    const out: string[] = [];
    const t = new TextThrottle((s) => out.push(s), 100, 4);
    t.push('abcde');
    t.flush();
    vi.advanceTimersByTime(500);
    expect(out).toEqual(['abcde']);
  });
});
