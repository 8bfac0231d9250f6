import {
  createModelBodySchema,
  patchModelBodySchema,
  type AdminModel,
  type CreateModelBody,
  type PatchModelBody,
  type Plan,
  type ProviderKind,
} from '@patchpad/shared';
import { zodFieldErrors, type FieldErrors } from '../field-errors';

/** The model form as typed: text per field (numbers too, so a half-typed value is not lost). */
export type ModelForm = {
  id: string;
  name: string;
  provider: ProviderKind;
  baseUrl: string;
  upstreamModel: string;
  apiKeyEnv: string;
  requiredPlan: Plan;
  contextWindow: string;
  maxOutputTokens: string;
  priceInputPerMTok: string;
  priceOutputPerMTok: string;
  /** Model ids, separated by commas or spaces, in the order they are tried. */
  fallbacks: string;
  active: boolean;
};

export const NUMBER_FIELDS = ['contextWindow', 'maxOutputTokens', 'priceInputPerMTok', 'priceOutputPerMTok'] as const;

export function emptyModelForm(): ModelForm {
  return {
    id: '',
    name: '',
    provider: 'openai_compatible',
    baseUrl: 'https://api.openai.com/v1',
    upstreamModel: '',
    apiKeyEnv: '',
    requiredPlan: 'free',
    contextWindow: '128000',
    maxOutputTokens: '4096',
    priceInputPerMTok: '0',
    priceOutputPerMTok: '0',
    fallbacks: '',
    active: true,
  };
}

export function formFromModel(m: AdminModel): ModelForm {
  return {
    id: m.id,
    name: m.name,
    provider: m.provider,
    baseUrl: m.baseUrl,
    upstreamModel: m.upstreamModel,
    apiKeyEnv: m.apiKeyEnv ?? '',
    requiredPlan: m.requiredPlan,
    contextWindow: String(m.contextWindow),
    maxOutputTokens: String(m.maxOutputTokens),
    priceInputPerMTok: String(m.priceInputPerMTok),
    priceOutputPerMTok: String(m.priceOutputPerMTok),
    fallbacks: m.fallbacks.join(', '),
    active: m.active,
  };
}

/** The typed fields, numbers parsed; a field that is not a number is reported, never sent as NaN. */
function fields(form: ModelForm): { values: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const values: Record<string, unknown> = {
    name: form.name,
    provider: form.provider,
    baseUrl: form.baseUrl.trim(),
    upstreamModel: form.upstreamModel.trim(),
    requiredPlan: form.requiredPlan,
    active: form.active,
    fallbacks: form.fallbacks.split(/[\s,]+/).filter(Boolean),
  };
  for (const key of NUMBER_FIELDS) {
    const text = form[key].trim().replace(/_/g, '');
    if (text === '' || Number.isNaN(Number(text))) errors[key] = 'must be a number';
    else values[key] = Number(text);
  }
  return { values, errors };
}

type Checked<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

/** A new model's body, checked with the schema the server uses. */
export function createBody(form: ModelForm): Checked<CreateModelBody> {
  const { values, errors } = fields(form);
  const body = { id: form.id.trim(), ...values, ...(form.apiKeyEnv.trim() ? { apiKeyEnv: form.apiKeyEnv.trim() } : {}) };
  const parsed = createModelBodySchema.safeParse(body);
  const all = { ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...errors };
  return Object.keys(all).length > 0 || !parsed.success ? { ok: false, errors: all } : { ok: true, body: parsed.data };
}

/** An edit as a PATCH of every field (an emptied key variable removes the key). */
export function patchBody(form: ModelForm): Checked<PatchModelBody> {
  const { values, errors } = fields(form);
  const body = { ...values, apiKeyEnv: form.apiKeyEnv.trim() || null };
  const parsed = patchModelBodySchema.safeParse(body);
  const all = { ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...errors };
  return Object.keys(all).length > 0 || !parsed.success ? { ok: false, errors: all } : { ok: true, body: parsed.data };
}
