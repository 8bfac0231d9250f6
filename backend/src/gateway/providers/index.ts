import type { ProviderKind } from '@patchpad/shared';
import { createAnthropicProvider } from './anthropic';
import { createOpenAiProvider } from './openai';
import type { ModelProvider } from './types';

/** One adapter per provider kind; adapters are stateless apart from their URL, so one per endpoint is cached. */
const FACTORIES: Record<ProviderKind, (baseUrl: string) => ModelProvider> = {
  openai_compatible: (baseUrl) => createOpenAiProvider({ name: 'openai_compatible', baseUrl }),
  anthropic: (baseUrl) => createAnthropicProvider({ baseUrl }),
};

const cache = new Map<string, ModelProvider>();

export function providerFor(kind: ProviderKind, baseUrl: string): ModelProvider {
  const key = `${kind} ${baseUrl}`;
  let provider = cache.get(key);
  if (!provider) {
    provider = FACTORIES[kind](baseUrl);
    cache.set(key, provider);
  }
  return provider;
}
