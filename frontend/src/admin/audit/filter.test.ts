import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@patchpad/shared';
import { describeVerify, detailsText, EMPTY_FORM, filterFromForm, matchesFilter } from './filter';

const entry: AuditEntry = { id: '1765000000000-0', at: '2025-12-06T05:46:40.000Z', action: 'admin.user.plan', uid: 'a1', target: 'u2', outcome: 'ok', seq: 9 };

describe('audit filter', () => {
  it('sends only the fields set, times as ISO', () => {
    expect(filterFromForm(EMPTY_FORM)).toEqual({ ok: true, filter: {} });
    const r = filterFromForm({ ...EMPTY_FORM, uid: ' a1 ', outcome: 'denied', from: '2025-12-06T05:00' });
    expect(r.ok && r.filter).toEqual({ uid: 'a1', outcome: 'denied', from: new Date('2025-12-06T05:00').toISOString() });
  });

  it('refuses a time range that ends before it starts, naming the field', () => {
    expect(filterFromForm({ ...EMPTY_FORM, from: '2025-12-07T00:00', to: '2025-12-06T00:00' })).toEqual({
      ok: false,
      field: 'from',
      message: 'from: must not be after to',
    });
    expect(filterFromForm({ ...EMPTY_FORM, to: 'soon' })).toMatchObject({ ok: false, field: 'to' });
  });

  it.each([
    [{}, true],
    [{ uid: 'a1', action: 'admin.user.plan', target: 'u2', outcome: 'ok' as const }, true],
    [{ uid: 'zz' }, false],
    [{ action: 'task.create' }, false],
    [{ target: 'u3' }, false],
    [{ outcome: 'failed' as const }, false],
    [{ from: '2025-12-06T05:46:40.000Z', to: '2025-12-06T05:46:40.000Z' }, true],
    [{ from: '2025-12-06T05:46:41.000Z' }, false],
    [{ to: '2025-12-06T05:46:39.000Z' }, false],
  ])('matches live entries as the server does: %j → %s', (filter, want) => {
    expect(matchesFilter(entry, filter)).toBe(want);
  });

  it('names the first bad entry when the chain is broken', () => {
    expect(describeVerify({ ok: true, entries: 1200, pending: 2, checkpoints: 1 })).toMatchObject({ tone: 'ok', text: 'Chain intact' });
    const bad = describeVerify({ ok: false, entries: 10, pending: 0, checkpoints: 0, firstBad: { id: '17-0', seq: 4 }, reason: 'entry 4 was modified' });
    expect(bad).toMatchObject({ tone: 'bad', text: 'Chain broken at entry 17-0 (#4)' });
    expect(bad.detail).toMatch(/modified/);
    expect(describeVerify({ ok: false, entries: 0, pending: 0, checkpoints: 1, firstBad: { id: null, seq: null }, reason: 'truncated' }).text).toBe(
      'Chain broken at the log',
    );
  });

  it('shortens long details', () => {
    expect(detailsText(undefined)).toBe('');
    expect(detailsText({ plan: 'pro' })).toBe('{"plan":"pro"}');
    expect(detailsText({ x: 'y'.repeat(300) })).toHaveLength(118);
  });
});
