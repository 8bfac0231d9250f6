import type { RedisClient } from '@patchpad/shared/server';
import { modelEntrySchema, type ModelEntry } from '@patchpad/shared';
import { defineScript, type Script as RedisScript } from '@patchpad/shared/server';
import type { Logger } from '../log';
import { modelKeys } from './keys';

export type RegistrySnapshot = { version: number; entries: ModelEntry[] };

export class ModelExistsError extends Error {}
export class ModelMissingError extends Error {}
export class ModelChangedError extends Error {}

/**
 * The model registry in Redis: one hash of entries plus a version counter that every write
 * bumps and announces on a pub/sub channel, so every API process reloads its copy.
 */
export class ModelStore {
  private readonly keys;
  private readonly write: RedisScript;
  private readonly seedScript: RedisScript;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly log?: Logger,
  ) {
    this.keys = modelKeys(prefix);
    this.write = defineScript(redis, new URL('./lua/models-write-3.lua', import.meta.url));
    this.seedScript = defineScript(redis, new URL('./lua/models-seed-3.lua', import.meta.url));
  }

  get channel(): string {
    return this.keys.channel;
  }

  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.version)) ?? 0);
  }

  /** Every entry and the version they belong to, read atomically. */
  async snapshot(): Promise<RegistrySnapshot & { raw: Map<string, string> }> {
    const result = await this.redis.multi().get(this.keys.version).hgetall(this.keys.entries).exec();
    if (!result || result.some(([err]) => err)) throw result?.find(([err]) => err)?.[0] ?? new Error('registry read failed');
    const version = Number(result[0]![1] ?? 0);
    const hash = result[1]![1] as Record<string, string>;
    const entries: ModelEntry[] = [];
    const raw = new Map<string, string>();
    for (const [id, json] of Object.entries(hash)) {
      raw.set(id, json);
      const parsed = modelEntrySchema.safeParse(safeJson(json));
      // An entry this version cannot read (written by a newer one, or edited by hand) is skipped, loudly.
      if (parsed.success) entries.push(parsed.data);
      else this.log?.warn({ id, issues: parsed.error.issues.slice(0, 3) }, 'model registry entry is unreadable; skipped');
    }
    return { version, entries, raw };
  }

  async get(id: string): Promise<{ entry: ModelEntry; raw: string } | null> {
    const raw = await this.redis.hget(this.keys.entries, id);
    if (raw === null) return null;
    const parsed = modelEntrySchema.safeParse(safeJson(raw));
    return parsed.success ? { entry: parsed.data, raw } : null;
  }

  async create(entry: ModelEntry): Promise<number> {
    const version = Number(await this.write(this.writeKeys(), ['create', entry.id, JSON.stringify(entry), '', this.keys.channel]));
    if (version === -1) throw new ModelExistsError(entry.id);
    return version;
  }

  /** Replaces an entry only if it still holds `expectedRaw` (what the caller read). */
  async replace(entry: ModelEntry, expectedRaw: string): Promise<number> {
    const version = Number(await this.write(this.writeKeys(), ['replace', entry.id, JSON.stringify(entry), expectedRaw, this.keys.channel]));
    if (version === -2) throw new ModelMissingError(entry.id);
    if (version === -3) throw new ModelChangedError(entry.id);
    return version;
  }

  async remove(id: string): Promise<number> {
    const version = Number(await this.write(this.writeKeys(), ['delete', id, '', '', this.keys.channel]));
    if (version === -2) throw new ModelMissingError(id);
    return version;
  }

  /** Writes each `{entry, expectedRaw}` whose id still holds expectedRaw ('' = absent) and was never deleted. */
  async seed(changes: { entry: ModelEntry; expectedRaw: string }[]): Promise<number> {
    if (changes.length === 0) return 0;
    const args = changes.flatMap((c) => [c.entry.id, JSON.stringify(c.entry), c.expectedRaw]);
    return Number(await this.seedScript(this.writeKeys(), [this.keys.channel, ...args]));
  }

  private writeKeys(): string[] {
    return [this.keys.entries, this.keys.version, this.keys.tombstones];
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
