import { z } from 'zod';
import type { ModelEntry } from '@patchpad/shared';
import { toModelId } from './seed';

const tagsSchema = z.object({ models: z.array(z.looseObject({ name: z.string().min(1) })).default([]) });

/** Ollama's `name:tag`, without the default `:latest`. */
function shortName(name: string): string {
  return name.endsWith(':latest') ? name.slice(0, -':latest'.length) : name;
}

/**
 * Asks an Ollama server for its installed models (`GET /api/tags`) and lists each as an
 * OpenAI-compatible entry at `<base>/v1`. No server, a slow one or a foreign answer → [],
 * within `timeoutMs`: absence must cost nothing.
 */
export async function detectOllama(options: { url: string; timeoutMs: number; contextWindow: number; now?: Date }): Promise<ModelEntry[]> {
  const base = options.url.replace(/\/+$/, '');
  let body: unknown;
  try {
    const res = await fetch(`${base}/api/tags`, { signal: AbortSignal.timeout(options.timeoutMs) });
    if (!res.ok) return [];
    body = await res.json();
  } catch {
    return [];
  }
  const parsed = tagsSchema.safeParse(body);
  if (!parsed.success) return [];
  const seen = new Set<string>();
  const entries: ModelEntry[] = [];
  for (const { name } of parsed.data.models) {
    const id = toModelId(shortName(name));
    if (seen.has(id)) continue;
    seen.add(id);
    // Ollama's own order (most recently pulled first), kept by distinct timestamps.
    const at = new Date(entries.length).toISOString();
    entries.push({
      id,
      name: `${shortName(name)} (Ollama)`,
      provider: 'openai_compatible',
      baseUrl: `${base}/v1`,
      upstreamModel: name,
      active: true,
      requiredPlan: 'free',
      contextWindow: options.contextWindow,
      maxOutputTokens: Math.min(4096, Math.floor(options.contextWindow / 2)),
      priceInputPerMTok: 0,
      priceOutputPerMTok: 0,
      fallbacks: [],
      source: 'ollama',
      createdAt: at,
      updatedAt: at,
    });
  }
  return entries;
}
