import { describe, expect, it } from 'vitest';
import { createModelBodySchema, patchModelBodySchema } from './model';
import { planAllows } from './plan';
import { countMessageTokens, countTokens } from '../tokens';

const body = {
  id: 'gpt-4o-mini',
  name: 'GPT-4o mini',
  provider: 'openai_compatible',
  baseUrl: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
  upstreamModel: 'gpt-4o-mini',
  contextWindow: 128_000,
  maxOutputTokens: 16_384,
};

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

describe('model registry schema', () => {
  it('fills the defaults an admin may leave out', () => {
    expect(createModelBodySchema.parse(body)).toMatchObject({ active: true, requiredPlan: 'free', fallbacks: [], priceInputPerMTok: 0 });
  });

  it('refuses bad input naming the field and the fix', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ id: 'GPT 4' }, /^id: an id is lower-case/],
      [{ id: '-x' }, /^id: /],
      [{ baseUrl: 'ftp://x' }, /^baseUrl: must be an http/],
      [{ baseUrl: 'not a url' }, /^baseUrl: must be a URL/],
      [{ provider: 'cohere' }, /^provider: /],
      [{ requiredPlan: 'gold' }, /^requiredPlan: /],
      [{ apiKeyEnv: 'sk-live-1234' }, /^apiKeyEnv: must be the NAME/],
      [{ fallbacks: ['gpt-4o-mini'] }, /^fallbacks: a model cannot be its own fallback/],
      [{ fallbacks: ['a', 'a'] }, /^fallbacks: lists the same model twice/],
      [{ maxOutputTokens: 200_000 }, /^maxOutputTokens: must be smaller than contextWindow/],
      [{ priceInputPerMTok: -1 }, /^priceInputPerMTok: must be 0 or more/],
      [{ surprise: 1 }, /surprise/],
    ];
    for (const [change, why] of cases) {
      const r = createModelBodySchema.safeParse({ ...body, ...change });
      expect(r.success, JSON.stringify(change)).toBe(false);
      expect(messages(r)).toMatch(why);
    }
  });

  it('accepts a partial change and refuses an empty one', () => {
    expect(patchModelBodySchema.parse({ active: false })).toEqual({ active: false });
    expect(patchModelBodySchema.parse({ apiKeyEnv: null })).toEqual({ apiKeyEnv: null });
    expect(messages(patchModelBodySchema.safeParse({}))).toMatch(/at least one field/);
    expect(messages(patchModelBodySchema.safeParse({ id: 'x' }))).toMatch(/id/);
  });

  it('orders plans', () => {
    expect(planAllows('free', 'free')).toBe(true);
    expect(planAllows('free', 'pro')).toBe(false);
    expect(planAllows('enterprise', 'pro')).toBe(true);
    expect(planAllows('pro', 'enterprise')).toBe(false);
  });
});

describe('token counting', () => {
  it('counts BPE tokens, not characters', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    // Code is far from 4 characters per token; a repeated identifier is one token each.
    expect(countTokens('const x = 1;\n'.repeat(100))).toBeLessThan(700);
    expect(countMessageTokens([{ role: 'user', content: 'hello world' }])).toBe(2 + 3 + 3);
  });
});
