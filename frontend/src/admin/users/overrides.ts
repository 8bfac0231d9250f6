import { quotaOverridesSchema, type QuotaLimits, type QuotaOverrides } from '@patchpad/shared';
import { zodFieldErrors, type FieldErrors } from '../field-errors';

export const OVERRIDE_FIELDS: readonly { key: keyof QuotaLimits; label: string }[] = [
  { key: 'tokensPerMonth', label: 'Tokens per month' },
  { key: 'tasksPerDay', label: 'Tasks per day' },
  { key: 'tasksInFlight', label: 'Tasks at once' },
];

/** The overrides form: one text per limit, blank meaning "the plan's allowance". */
export type OverridesForm = Record<keyof QuotaLimits, string>;

export function overridesForm(o: QuotaOverrides): OverridesForm {
  return {
    tokensPerMonth: o.tokensPerMonth?.toString() ?? '',
    tasksPerDay: o.tasksPerDay?.toString() ?? '',
    tasksInFlight: o.tasksInFlight?.toString() ?? '',
  };
}

/** The form as the API's overrides, checked with the same schema the server uses. */
export function parseOverrides(form: OverridesForm): { ok: true; value: QuotaOverrides } | { ok: false; errors: FieldErrors } {
  const raw: Record<string, number> = {};
  const errors: FieldErrors = {};
  for (const { key } of OVERRIDE_FIELDS) {
    const text = form[key].trim().replace(/[_,\s]/g, '');
    if (text === '') continue;
    if (!/^-?\d+$/.test(text)) errors[key] = 'must be a whole number (leave blank for the plan’s allowance)';
    else raw[key] = Number(text);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = quotaOverridesSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}
