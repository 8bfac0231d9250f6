import { get } from 'node:http';
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
  const parsed = tagsSchema.safeParse(await getJson(`${base}/api/tags`, options.timeoutMs));
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

/**
 * GET a small JSON document with node:http (fetch would load undici on first use: slower than
 * the probe's whole time budget, and memory the gateway does not otherwise need). null on
 * any failure, a non-200 status, a body over 1 MiB or the timeout.
 */
function getJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve(null);
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        if (text.length > 1024 * 1024) req.destroy();
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve(null);
        }
      });
      res.on('error', () => resolve(null));
    });
    const timer = setTimeout(() => req.destroy(), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}
