import { modelEntrySchema, type ModelEntry, type ProviderKind } from '@patchpad/shared';
import type { BackendConfig } from '../config';
import { knownModel } from './known-models';

type EnvProvider = { kind: ProviderKind; label: string; baseUrl: string; apiKeyEnv?: string; models: string[] };

/** Turns any model name into a registry id: `Qwen2.5-Coder:7b` → `qwen2.5-coder-7b`. */
export function toModelId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 100);
  return id || 'model';
}

/** The providers today's environment variables configure, in the order they win an id. */
function envProviders(config: BackendConfig): EnvProvider[] {
  const out: EnvProvider[] = [];
  if (config.OPENAI_COMPATIBLE_BASE_URL && config.OPENAI_COMPATIBLE_MODELS.length > 0) {
    out.push({
      kind: 'openai_compatible',
      label: 'OpenAI-compatible',
      baseUrl: config.OPENAI_COMPATIBLE_BASE_URL,
      ...(config.OPENAI_COMPATIBLE_API_KEY ? { apiKeyEnv: 'OPENAI_COMPATIBLE_API_KEY' } : {}),
      models: config.OPENAI_COMPATIBLE_MODELS,
    });
  }
  if (config.OPENAI_API_KEY) {
    out.push({ kind: 'openai_compatible', label: 'OpenAI', baseUrl: config.OPENAI_BASE_URL, apiKeyEnv: 'OPENAI_API_KEY', models: config.OPENAI_MODELS });
  }
  if (config.ANTHROPIC_API_KEY) {
    out.push({ kind: 'anthropic', label: 'Anthropic', baseUrl: config.ANTHROPIC_BASE_URL, apiKeyEnv: 'ANTHROPIC_API_KEY', models: config.ANTHROPIC_MODELS });
  }
  return out;
}

/**
 * The registry entries the environment asks for (README "Connect a model"). Each is owned
 * by the environment (`source: 'env'`) until an admin edits it; the first provider to claim
 * an id wins, as before the registry existed.
 */
export function envModelEntries(config: BackendConfig, now: Date): ModelEntry[] {
  const byId = new Map<string, ModelEntry>();
  for (const provider of envProviders(config)) {
    for (const upstreamModel of provider.models) {
      const id = toModelId(upstreamModel);
      if (byId.has(id)) continue;
      // Distinct timestamps keep the environment's order (the first model is the default).
      const at = new Date(now.getTime() + byId.size).toISOString();
      const known = knownModel(upstreamModel);
      byId.set(
        id,
        modelEntrySchema.parse({
          id,
          name: `${upstreamModel} (${provider.label})`,
          provider: provider.kind,
          baseUrl: provider.baseUrl,
          ...(provider.apiKeyEnv ? { apiKeyEnv: provider.apiKeyEnv } : {}),
          upstreamModel,
          active: true,
          requiredPlan: 'free',
          ...known,
          fallbacks: [],
          source: 'env',
          createdAt: at,
          updatedAt: at,
        }),
      );
    }
  }
  return [...byId.values()];
}

const CONFIG_FIELDS = ['name', 'provider', 'baseUrl', 'apiKeyEnv', 'upstreamModel'] as const;

/**
 * Which env entries to write: new ones, and env-owned ones whose variables changed (their
 * other settings and creation time are kept). Entries an admin owns are left alone.
 */
export function planSeed(wanted: ModelEntry[], current: Map<string, string>): { entry: ModelEntry; expectedRaw: string }[] {
  const changes: { entry: ModelEntry; expectedRaw: string }[] = [];
  for (const entry of wanted) {
    const raw = current.get(entry.id);
    if (raw === undefined) {
      changes.push({ entry, expectedRaw: '' });
      continue;
    }
    const existing = modelEntrySchema.safeParse(JSON.parse(raw));
    if (!existing.success || existing.data.source !== 'env') continue;
    if (CONFIG_FIELDS.every((f) => existing.data[f] === entry[f])) continue;
    const updated = { ...existing.data, ...pick(entry), updatedAt: entry.updatedAt };
    if (!entry.apiKeyEnv) delete updated.apiKeyEnv;
    changes.push({ entry: updated, expectedRaw: raw });
  }
  return changes;
}

function pick(entry: ModelEntry) {
  return Object.fromEntries(CONFIG_FIELDS.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
}
