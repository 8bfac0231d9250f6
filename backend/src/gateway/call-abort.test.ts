import { describe, expect, it } from 'vitest';
import { CallAbort, type CallSignal } from './call-abort';

describe('CallAbort', () => {
  it('tells each listener once, in the order added, with the reason readable', () => {
    const abort = new CallAbort();
    const seen: string[] = [];
    abort.signal.addEventListener('abort', () => seen.push(`first ${String(abort.signal.reason)}`), { once: true });
    abort.signal.addEventListener('abort', () => seen.push('second'));
    expect(abort.signal.aborted).toBe(false);
    abort.abort('timeout');
    abort.abort('again');
    expect(seen).toEqual(['first timeout', 'second']);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe('timeout');
  });

  it('forgets a removed listener and never calls one added after the abort', () => {
    const abort = new CallAbort();
    const seen: string[] = [];
    const removed = () => seen.push('removed');
    abort.signal.addEventListener('abort', removed);
    abort.signal.removeEventListener('abort', removed);
    abort.abort(new Error('stop'));
    abort.signal.addEventListener('abort', () => seen.push('late'));
    expect(seen).toEqual([]);
  });

  it('throws its reason once aborted', () => {
    const abort = new CallAbort();
    expect(() => abort.signal.throwIfAborted()).not.toThrow();
    abort.abort(new Error('client went away'));
    expect(() => abort.signal.throwIfAborted()).toThrow('client went away');
  });

  it('is a subset of AbortSignal: a real one can be passed wherever a CallSignal is taken', () => {
    const real = new AbortController();
    const signal: CallSignal = real.signal;
    const seen: unknown[] = [];
    signal.addEventListener('abort', () => seen.push(signal.reason), { once: true });
    real.abort('why');
    expect(seen).toEqual(['why']);
  });
});
