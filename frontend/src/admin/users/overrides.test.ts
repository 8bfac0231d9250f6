import { describe, expect, it } from 'vitest';
import { overridesForm, parseOverrides } from './overrides';
import { fieldOf, issuesToFields } from '../field-errors';

describe('the overrides form', () => {
  it('round-trips overrides, blank meaning the plan’s allowance', () => {
    expect(overridesForm({ tasksPerDay: 7 })).toEqual({ tokensPerMonth: '', tasksPerDay: '7', tasksInFlight: '' });
    expect(parseOverrides({ tokensPerMonth: '2,000,000', tasksPerDay: ' 7 ', tasksInFlight: '' })).toEqual({
      ok: true,
      value: { tokensPerMonth: 2_000_000, tasksPerDay: 7 },
    });
    expect(parseOverrides({ tokensPerMonth: '', tasksPerDay: '', tasksInFlight: '' })).toEqual({ ok: true, value: {} });
  });

  it.each([
    [{ tokensPerMonth: 'lots', tasksPerDay: '', tasksInFlight: '' }, 'tokensPerMonth', /whole number/],
    [{ tokensPerMonth: '1.5', tasksPerDay: '', tasksInFlight: '' }, 'tokensPerMonth', /whole number/],
    [{ tokensPerMonth: '', tasksPerDay: '-1', tasksInFlight: '' }, 'tasksPerDay', />=\s*0/],
    [{ tokensPerMonth: '', tasksPerDay: '', tasksInFlight: '0' }, 'tasksInFlight', />=\s*1/],
  ])('names the field that is wrong: %j', (form, field, message) => {
    const result = parseOverrides(form);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toMatch(message);
  });

  it('maps server issue paths to form fields', () => {
    expect(fieldOf('overrides.tasksPerDay')).toBe('tasksPerDay');
    expect(fieldOf('fallbacks.0')).toBe('fallbacks');
    expect(fieldOf(['baseUrl'])).toBe('baseUrl');
    expect(
      issuesToFields([
        { path: 'fallbacks', message: 'first' },
        { path: 'fallbacks.1', message: 'second' },
        { path: '', message: 'whole body' },
      ]),
    ).toEqual({ fallbacks: 'first', '': 'whole body' });
  });
});
