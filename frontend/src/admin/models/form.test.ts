import { describe, expect, it } from 'vitest';
import type { AdminModel } from '@patchpad/shared';
import { createBody, emptyModelForm, formFromModel, patchBody } from './form';

const model: AdminModel = {
  id: 'gpt-4o-mini',
  name: 'GPT-4o mini',
  provider: 'openai_compatible',
  baseUrl: 'https://api.openai.com/v1',
  upstreamModel: 'gpt-4o-mini',
  apiKeyEnv: 'OPENAI_API_KEY',
  active: true,
  requiredPlan: 'free',
  contextWindow: 128000,
  maxOutputTokens: 16384,
  priceInputPerMTok: 0.15,
  priceOutputPerMTok: 0.6,
  fallbacks: ['local'],
  source: 'env',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  keyConfigured: true,
};

describe('the model form', () => {
  it('builds a create body with the numbers, the fallbacks list and no empty key variable', () => {
    const r = createBody({ ...emptyModelForm(), id: 'local', name: 'Local', upstreamModel: 'qwen', fallbacks: 'a, b c', priceInputPerMTok: '1.5' });
    expect(r).toMatchObject({ ok: true, body: { id: 'local', fallbacks: ['a', 'b', 'c'], priceInputPerMTok: 1.5, contextWindow: 128000 } });
    expect(r.ok && 'apiKeyEnv' in r.body).toBe(false);
  });

  it.each([
    [{ id: 'Bad Id' }, 'id'],
    [{ baseUrl: 'nope' }, 'baseUrl'],
    [{ apiKeyEnv: 'sk-secret' }, 'apiKeyEnv'],
    [{ contextWindow: 'lots' }, 'contextWindow'],
    [{ maxOutputTokens: '200000' }, 'maxOutputTokens'],
    [{ name: '  ' }, 'name'],
    [{ fallbacks: 'x x' }, 'fallbacks'],
  ])('puts the problem under its field: %j → %s', (change, field) => {
    const r = createBody({ ...emptyModelForm(), id: 'ok', name: 'Ok', upstreamModel: 'u', ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toContain(field);
  });

  it('edits as a patch of every field, an emptied key variable removing the key', () => {
    const form = formFromModel(model);
    expect(form.fallbacks).toBe('local');
    const r = patchBody({ ...form, apiKeyEnv: '', maxOutputTokens: '8192' });
    expect(r).toMatchObject({ ok: true, body: { apiKeyEnv: null, maxOutputTokens: 8192, fallbacks: ['local'], name: 'GPT-4o mini' } });
    expect(patchBody({ ...form, priceOutputPerMTok: '-1' })).toMatchObject({ ok: false, errors: { priceOutputPerMTok: expect.stringMatching(/0 or more/) } });
  });
});
