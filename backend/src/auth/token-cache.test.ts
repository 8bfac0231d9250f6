import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../http/request-context';
import { cachedVerifier } from './token-cache';

/** A verifier that counts its calls and answers when told to. */
function fakeVerifier(expiresAt: (token: string) => number) {
  const calls: string[] = [];
  const waiting: Array<() => void> = [];
  let hold = false;
  return {
    calls,
    hold: () => void (hold = true),
    release: () => {
      hold = false;
      for (const w of waiting.splice(0)) w();
    },
    verify: async (token: string): Promise<AuthUser> => {
      calls.push(token);
      if (hold) await new Promise<void>((r) => waiting.push(r));
      if (token.startsWith('bad')) throw new Error('invalid token');
      return { uid: `u-${token}`, email: null, admin: false, expiresAt: expiresAt(token) };
    },
  };
}

describe('cachedVerifier', () => {
  it('verifies a token once while it is fresh, and again after the ttl', async () => {
    let t = 1_000;
    const inner = fakeVerifier(() => 1_000_000);
    const v = cachedVerifier(inner, { max: 10, ttlMs: 100, now: () => t });
    expect((await v.verify('a')).uid).toBe('u-a');
    await v.verify('a');
    t += 99;
    await v.verify('a');
    expect(inner.calls).toEqual(['a']);
    t += 1;
    await v.verify('a');
    expect(inner.calls).toEqual(['a', 'a']);
  });

  it('never trusts a token past its own expiry', async () => {
    let t = 0;
    const inner = fakeVerifier(() => 50);
    const v = cachedVerifier(inner, { max: 10, ttlMs: 10_000, now: () => t });
    await v.verify('a');
    t = 49;
    await v.verify('a');
    t = 50;
    await v.verify('a');
    expect(inner.calls).toEqual(['a', 'a']);
  });

  it('does not remember failures', async () => {
    const inner = fakeVerifier(() => Infinity);
    const v = cachedVerifier(inner, { max: 10, ttlMs: 1000 });
    await expect(v.verify('bad')).rejects.toThrow(/invalid/);
    await expect(v.verify('bad')).rejects.toThrow(/invalid/);
    expect(inner.calls).toEqual(['bad', 'bad']);
  });

  it('shares one verification among concurrent requests with a new token', async () => {
    const inner = fakeVerifier(() => Infinity);
    const v = cachedVerifier(inner, { max: 10, ttlMs: 1000 });
    inner.hold();
    const all = Promise.all(Array.from({ length: 20 }, () => v.verify('a')));
    const bad = Promise.allSettled([v.verify('bad'), v.verify('bad')]);
    inner.release();
    expect((await all).every((u) => u.uid === 'u-a')).toBe(true);
    expect((await bad).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(inner.calls).toEqual(['a', 'bad']);
  });

  it('keeps the most recently used tokens when it is full', async () => {
    const inner = fakeVerifier(() => Infinity);
    const v = cachedVerifier(inner, { max: 2, ttlMs: 1000 });
    await v.verify('a');
    await v.verify('b');
    await v.verify('a'); // a is now the most recent
    await v.verify('c'); // evicts b
    await v.verify('a');
    await v.verify('b');
    expect(inner.calls).toEqual(['a', 'b', 'c', 'b']);
  });
});
