import { describe, expect, it } from 'vitest';
import { formatSse, type AuditEntry } from '@patchpad/shared';
import type { Api } from './client';
import { followAuditTail, type TailState } from './audit-tail';

const entry = (n: number): AuditEntry => ({ id: `${n}-0`, at: new Date(n).toISOString(), action: 'project.save', uid: 'u', outcome: 'ok', seq: n });
const sse = (...ns: number[]) => ns.map((n) => formatSse({ id: `${n}-0`, event: 'entry', data: JSON.stringify(entry(n)) })).join('');

/** An Api whose stream() serves scripted bodies, one per connection; the last one aborts the follower. */
function scripted(bodies: (string | Error)[], controller: AbortController) {
  const seen: { headers: Record<string, string>; fresh: boolean }[] = [];
  const api = {
    async stream(_path: string, headers: Record<string, string>, _signal: AbortSignal, options: { freshToken?: boolean } = {}) {
      seen.push({ headers, fresh: options.freshToken === true });
      const body = bodies.shift();
      if (bodies.length === 0) queueMicrotask(() => controller.abort());
      if (body === undefined || body instanceof Error) throw body ?? new Error('no more connections scripted');
      return new Response(body);
    },
  } as unknown as Api;
  return { api, seen };
}

describe('followAuditTail', () => {
  it('delivers entries, resumes after a drop with Last-Event-ID and a fresh token, and skips what is not an entry', async () => {
    const controller = new AbortController();
    const junk = formatSse({ id: '9-0', event: 'entry', data: '{"not":"an entry"}' }) + ': keep-alive\n\n';
    const { api, seen } = scripted([sse(1, 2) + junk, new TypeError('network down'), sse(3), ''], controller);
    const got: string[] = [];
    const states: TailState[] = [];
    await followAuditTail(
      api,
      (e) => got.push(e.id),
      (s) => states.push(s),
      controller.signal,
      { retryBaseMs: 1 },
    );
    expect(got).toEqual(['1-0', '2-0', '3-0']);
    expect(seen.map((s) => s.headers['Last-Event-ID'])).toEqual([undefined, '2-0', '2-0', '3-0']);
    expect(seen.map((s) => s.fresh)).toEqual([false, false, true, false]);
    expect(states).toContain('reconnecting');
  });

  it('comes back with a fresh token when the server says the token expired, resuming where it was', async () => {
    const controller = new AbortController();
    const expired = formatSse({ event: 'auth_expired', data: JSON.stringify({ type: 'auth_expired', message: 'expired' }) });
    const { api, seen } = scripted([sse(1) + expired, sse(2), ''], controller);
    const got: string[] = [];
    await followAuditTail(
      api,
      (e) => got.push(e.id),
      () => undefined,
      controller.signal,
      { retryBaseMs: 1 },
    );
    expect(got).toEqual(['1-0', '2-0']);
    expect(seen).toEqual([
      { headers: {}, fresh: false },
      { headers: { 'Last-Event-ID': '1-0' }, fresh: true },
      { headers: { 'Last-Event-ID': '2-0' }, fresh: false },
    ]);
  });

  it('stops when the page leaves', async () => {
    const controller = new AbortController();
    controller.abort();
    const { api, seen } = scripted([sse(1)], controller);
    await followAuditTail(
      api,
      () => undefined,
      () => undefined,
      controller.signal,
      { retryBaseMs: 1 },
    );
    expect(seen).toEqual([]);
  });
});
