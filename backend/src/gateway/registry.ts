import type { ModelEntry } from '@patchpad/shared';
import type { BackendConfig } from '../config';
import { createAnthropicProvider } from './providers/anthropic';
import { createOpenAiProvider } from './providers/openai';
import type { ModelProvider } from './providers/types';

export type ModelRegistry = {
  models: ModelEntry[];
  defaultModel: string | null;
  resolve(modelId: string): { entry: ModelEntry; provider: ModelProvider } | null;
};

/**
 * The models this deployment offers, from the environment. Each model id maps to one
 * provider; the first provider to claim an id wins, so ids stay unambiguous.
 */
export function createModelRegistry(config: BackendConfig): ModelRegistry {
  const providers: { provider: ModelProvider; models: string[] }[] = [];
  if (config.OPENAI_COMPATIBLE_BASE_URL && config.OPENAI_COMPATIBLE_MODELS.length > 0) {
    providers.push({
      provider: createOpenAiProvider({ name: 'openai-compatible', baseUrl: config.OPENAI_COMPATIBLE_BASE_URL, apiKey: config.OPENAI_COMPATIBLE_API_KEY }),
      models: config.OPENAI_COMPATIBLE_MODELS,
    });
  }
  if (config.OPENAI_API_KEY) {
    providers.push({
      provider: createOpenAiProvider({ name: 'openai', baseUrl: config.OPENAI_BASE_URL, apiKey: config.OPENAI_API_KEY }),
      models: config.OPENAI_MODELS,
    });
  }
  if (config.ANTHROPIC_API_KEY) {
    providers.push({
      provider: createAnthropicProvider({ baseUrl: config.ANTHROPIC_BASE_URL, apiKey: config.ANTHROPIC_API_KEY }),
      models: config.ANTHROPIC_MODELS,
    });
  }
  const byId = new Map<string, { entry: ModelEntry; provider: ModelProvider }>();
  for (const { provider, models } of providers) {
    for (const id of models) {
      if (!byId.has(id)) byId.set(id, { entry: { id, provider: provider.name, upstreamModel: id }, provider });
    }
  }
  const models = [...byId.values()].map((m) => m.entry);
  const defaultModel = config.DEFAULT_MODEL && byId.has(config.DEFAULT_MODEL) ? config.DEFAULT_MODEL : (models[0]?.id ?? null);
  return { models, defaultModel, resolve: (id) => byId.get(id) ?? null };
}
