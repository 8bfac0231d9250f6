import { describe, expect, it } from 'vitest';
import { initialConcurrency, nextConcurrency } from './concurrency';

const limits = { min: 1, max: 64 };

describe('worker concurrency', () => {
  it.each([
    ['grows when every slot is busy, work waits and the CPU has room', { concurrency: 8, running: 8, waiting: 30, loopUtilization: 0.3 }, 12],
    ['stays when slots are free', { concurrency: 8, running: 5, waiting: 30, loopUtilization: 0.3 }, 8],
    ['stays when nothing waits', { concurrency: 8, running: 8, waiting: 0, loopUtilization: 0.3 }, 8],
    ['stays when the CPU is fairly busy', { concurrency: 8, running: 8, waiting: 30, loopUtilization: 0.8 }, 8],
    ['shrinks when the event loop is saturated', { concurrency: 8, running: 8, waiting: 30, loopUtilization: 0.95 }, 6],
    ['never above the cap', { concurrency: 60, running: 60, waiting: 500, loopUtilization: 0.1 }, 64],
    ['never below the floor', { concurrency: 1, running: 1, waiting: 5, loopUtilization: 0.99 }, 1],
  ])('%s', (_name, sample, expected) => expect(nextConcurrency(sample, limits)).toBe(expected));

  it('starts at a few slots per core, within the cap', () => {
    expect(initialConcurrency(64, 2)).toBe(8);
    expect(initialConcurrency(6, 2)).toBe(6);
    expect(initialConcurrency(64, 32)).toBe(64);
  });
});
