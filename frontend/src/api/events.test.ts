import { describe, expect, it } from 'vitest';
import { formatSse, type TaskEvent } from '@patchpad/shared';
import type { Api } from './client';
import { followTask } from './events';

const ev = (id: number, event: TaskEvent) => formatSse({ id: `${id}-0`, event: event.type, data: JSON.stringify(event) });

/** An Api whose stream() serves scripted bodies, one per connection, recording the headers. */
function fakeApi(bodies: (string | Error)[]) {
  const seen: Record<string, string>[] = [];
  const api = {
    async stream(_path: string, headers: Record<string, string>, _signal: AbortSignal, options: { freshToken?: boolean } = {}) {
      seen.push({ ...headers, ...(options.freshToken ? { fresh: 'yes' } : {}) });
      const body = bodies.shift();
      if (body === undefined) throw new Error('no more connections scripted');
      if (body instanceof Error) throw body;
      return new Response(body);
    },
  } as unknown as Api;
  return { api, seen };
}

describe('followTask', () => {
  it('delivers events in order and stops at a terminal status', async () => {
    const { api } = fakeApi([
      ev(1, { type: 'status', status: 'processing' }) + ev(2, { type: 'token', text: 'hi' }) + ev(3, { type: 'status', status: 'done' }),
    ]);
    const got: TaskEvent[] = [];
    await followTask(api, 't', (e) => got.push(e), new AbortController().signal, { retryBaseMs: 1 });
    expect(got.map((e) => e.type)).toEqual(['status', 'token', 'status']);
  });

  it('reconnects after a dropped stream with Last-Event-ID and loses nothing', async () => {
    const { api, seen } = fakeApi([
      ev(1, { type: 'status', status: 'processing' }) + ev(2, { type: 'token', text: 'a' }),
      new TypeError('network down'),
      ev(3, { type: 'token', text: 'b' }) + ev(4, { type: 'status', status: 'failed' }),
    ]);
    const got: TaskEvent[] = [];
    await followTask(api, 't', (e) => got.push(e), new AbortController().signal, { retryBaseMs: 1 });
    expect(got.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text)).toEqual(['a', 'b']);
    expect(seen.map((h) => h['Last-Event-ID'])).toEqual([undefined, '2-0', '2-0']);
  });

  it('ignores events that do not match the schema instead of crashing', async () => {
    const { api } = fakeApi([formatSse({ id: '1-0', data: '{"type":"bogus"}' }) + ev(2, { type: 'status', status: 'done' })]);
    const got: TaskEvent[] = [];
    await followTask(api, 't', (e) => got.push(e), new AbortController().signal, { retryBaseMs: 1 });
    expect(got).toEqual([{ type: 'status', status: 'done' }]);
  });

  it('reconnects with a fresh token after the server says the sign-in expired, resuming where it was', async () => {
    const expired = formatSse({ event: 'auth_expired', data: JSON.stringify({ type: 'auth_expired', message: 'expired' }) });
    const { api, seen } = fakeApi([ev(1, { type: 'status', status: 'processing' }) + expired, ev(2, { type: 'status', status: 'done' })]);
    const got: TaskEvent[] = [];
    await followTask(api, 't', (e) => got.push(e), new AbortController().signal, { retryBaseMs: 1 });
    expect(got).toEqual([
      { type: 'status', status: 'processing' },
      { type: 'status', status: 'done' },
    ]);
    expect(seen).toEqual([{}, { 'Last-Event-ID': '1-0', fresh: 'yes' }]);
  });
});
