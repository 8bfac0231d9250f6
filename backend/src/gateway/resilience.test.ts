import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { retryDelayMs } from './backoff';
import { CircuitBreaker } from './breaker';
import { KeyPool, KeyPools } from './key-pool';
import { retryAfterMs } from './http-client';

describe('circuit breaker', () => {
  it('opens after the threshold of failures in a row, refuses while open, then lets one trial through', () => {
    const b = new CircuitBreaker('openai_compatible http://x', 3, 1000);
    b.failure('500', 0);
    b.failure('500', 1);
    expect(b.allow(2)).toBe(true);
    b.success(); // a success in between resets the count
    for (const t of [3, 4, 5]) b.failure('boom', t);
    expect(b.status(6)).toMatchObject({ state: 'open', consecutiveFailures: 3, lastError: 'boom' });
    expect(b.allow(500)).toBe(false);
    expect(b.status(1005).state).toBe('half_open');
    expect(b.allow(1005)).toBe(true); // the trial
    expect(b.allow(1006)).toBe(false); // only one at a time
    b.success();
    expect(b.status(1007)).toMatchObject({ state: 'closed', consecutiveFailures: 0, retryAt: null });
  });

  it('opens again at once when the half-open trial fails', () => {
    const b = new CircuitBreaker('e', 1, 100);
    b.failure('x', 0);
    expect(b.allow(100)).toBe(true);
    b.failure('still down', 100);
    expect(b.status(150)).toMatchObject({ state: 'open', lastError: 'still down' });
    expect(b.allow(150)).toBe(false);
  });

  it('frees the trial slot when a call ends for a reason unrelated to the endpoint', () => {
    const b = new CircuitBreaker('e', 1, 100);
    b.failure('x', 0);
    expect(b.allow(100)).toBe(true);
    b.release();
    expect(b.allow(101)).toBe(true);
  });
});

describe('key pool', () => {
  it('rotates round-robin and skips resting keys until they are back', () => {
    const pool = new KeyPool(['a', 'b', 'c']);
    expect([0, 0, 0, 0].map((t) => (pool.take(t) as { key: string }).key)).toEqual(['a', 'b', 'c', 'a']);
    pool.rest('b', 100);
    expect([1, 2, 3].map((t) => (pool.take(t) as { key: string }).key)).toEqual(['c', 'a', 'c']);
    pool.rest('a', 50);
    pool.rest('c', 80);
    expect(pool.take(10)).toEqual({ key: null, readyAt: 50 });
    expect(pool.take(60)).toEqual({ key: 'a' });
    expect(pool.resting(60)).toBe(2);
  });

  it('reads pools from the environment by name, never storing keys elsewhere', () => {
    const env: NodeJS.ProcessEnv = { K: ' k1, k2 ,,' };
    const pools = new KeyPools(env);
    expect(pools.get('K')?.keys).toEqual(['k1', 'k2']);
    expect(pools.get('MISSING')).toBeNull();
    env.K = 'k3';
    expect(pools.get('K')?.keys).toEqual(['k3']);
  });
});

describe('retry delays', () => {
  it('grow exponentially up to the cap, jittered, never below Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 60_000 })),
        (retry, r, after) => {
          const d = retryDelayMs(retry, { baseMs: 100, maxMs: 5000, retryAfterMs: after ?? undefined, random: () => r });
          const cap = Math.min(5000, 100 * 2 ** retry);
          expect(d).toBeGreaterThanOrEqual(after ?? 0);
          if (after === null) expect(d).toBeLessThanOrEqual(cap);
        },
      ),
      { seed: Number(process.env.FC_SEED ?? 42), verbose: true },
    );
  });

  it('parse Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
