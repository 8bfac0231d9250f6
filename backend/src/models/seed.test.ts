import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { envModelEntries, planSeed, toModelId } from './seed';

const NOW = new Date('2026-01-01T00:00:00Z');

describe('models from the environment', () => {
  it('keeps every README variable working: OpenAI-compatible first, then OpenAI, then Anthropic; first claim of an id wins', () => {
    const config = loadConfig({
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_COMPATIBLE_MODELS: 'Qwen2.5-Coder:7b,gpt-4o-mini',
      OPENAI_API_KEY: 'sk-x',
      OPENAI_MODELS: 'gpt-4o-mini,gpt-4.1',
      ANTHROPIC_API_KEY: 'sk-ant',
    });
    const entries = envModelEntries(config, NOW);
    expect(entries.map((e) => [e.id, e.provider, e.apiKeyEnv ?? null, e.upstreamModel])).toEqual([
      ['qwen2.5-coder-7b', 'openai_compatible', null, 'Qwen2.5-Coder:7b'],
      ['gpt-4o-mini', 'openai_compatible', null, 'gpt-4o-mini'],
      ['gpt-4.1', 'openai_compatible', 'OPENAI_API_KEY', 'gpt-4.1'],
      ['claude-sonnet-4-5', 'anthropic', 'ANTHROPIC_API_KEY', 'claude-sonnet-4-5'],
    ]);
    // Keys themselves are never in an entry.
    expect(JSON.stringify(entries)).not.toMatch(/sk-/);
    expect(entries.find((e) => e.id === 'claude-sonnet-4-5')).toMatchObject({ contextWindow: 200_000, priceInputPerMTok: 3, source: 'env' });
    expect(entries.map((e) => e.createdAt)).toEqual([...entries.map((e) => e.createdAt)].sort());
  });

  it('makes a registry id of any model name', () => {
    expect(toModelId('meta-llama/Llama-3.1-8B-Instruct')).toBe('meta-llama-llama-3.1-8b-instruct');
    expect(toModelId('__x')).toBe('x');
    expect(toModelId('***')).toBe('model');
  });

  it('adds new env models, follows env changes of env-owned ones, and leaves admin-owned ones alone', () => {
    const [a, b] = envModelEntries(loadConfig({ OPENAI_COMPATIBLE_BASE_URL: 'http://h/v1', OPENAI_COMPATIBLE_MODELS: 'a,b' }), NOW);
    const moved = envModelEntries(
      loadConfig({ OPENAI_COMPATIBLE_BASE_URL: 'http://moved/v1', OPENAI_COMPATIBLE_MODELS: 'a,b' }),
      new Date('2026-02-01T00:00:00Z'),
    );
    const current = new Map([
      ['a', JSON.stringify({ ...a, active: false })],
      ['b', JSON.stringify({ ...b, source: 'admin' })],
    ]);
    expect(planSeed([a!, b!], current)).toEqual([]);
    const changes = planSeed(moved, current);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.expectedRaw).toBe(current.get('a'));
    // The env's part changes; what else is set (here: switched off) and the creation time stay.
    expect(changes[0]!.entry).toMatchObject({ id: 'a', baseUrl: 'http://moved/v1', active: false, createdAt: a!.createdAt });
    expect(planSeed(moved, new Map())).toEqual(moved.map((entry) => ({ entry, expectedRaw: '' })));
  });
});
