import { createHash } from 'node:crypto';
import { packageBuildSchema, type PackageBuild } from '@patchpad/shared';
import type { ProjectStore } from '../projects/store';

/**
 * What the package service keeps, in the project store (B2 or fs) as write-once objects,
 * so a package fetched once is served to every later user without the registry:
 *   packages/v1/files/<sha256>              a bundle, named by the hash of its bytes
 *   packages/v1/builds/<sha256 of key>.json  specifier@version → file + its requires
 *   packages/v1/resolutions/<sha256>.json    name + range → version (pinned, like a lockfile)
 * A build's file is written before its record, so a record never points at nothing.
 * Recent records and files are also kept in memory.
 */

const ROOT = 'packages/v1';
const hash = (text: string) => createHash('sha256').update(text).digest('hex');

class Lru<V> {
  private readonly map = new Map<string, V>();
  private size = 0;
  constructor(
    private readonly maxSize: number,
    private readonly sizeOf: (v: V) => number = () => 1,
  ) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    if (this.map.has(key)) return;
    this.map.set(key, value);
    this.size += this.sizeOf(value);
    for (const [oldest, old] of this.map) {
      if (this.size <= this.maxSize) break;
      this.map.delete(oldest);
      this.size -= this.sizeOf(old);
    }
  }
}

export class PackageRecords {
  private readonly resolutions = new Lru<string>(10_000);
  private readonly builds = new Lru<PackageBuild>(10_000);
  private readonly files = new Lru<Buffer>(64 * 1024 * 1024, (b) => b.length);

  constructor(private readonly store: ProjectStore) {}

  async resolution(name: string, range: string): Promise<string | null> {
    const key = hash(`${name}\0${range}`);
    const cached = this.resolutions.get(key);
    if (cached) return cached;
    const raw = await this.store.getObject(`${ROOT}/resolutions/${key}.json`);
    if (!raw) return null;
    const version = (JSON.parse(raw.toString('utf8')) as { version?: unknown }).version;
    if (typeof version !== 'string') return null;
    this.resolutions.set(key, version);
    return version;
  }

  async putResolution(name: string, range: string, version: string): Promise<void> {
    const key = hash(`${name}\0${range}`);
    await this.store.putObject(`${ROOT}/resolutions/${key}.json`, Buffer.from(JSON.stringify({ name, range, version, at: Date.now() })));
    this.resolutions.set(key, version);
  }

  async build(buildKey: string): Promise<PackageBuild | null> {
    const key = hash(buildKey);
    const cached = this.builds.get(key);
    if (cached) return cached;
    const raw = await this.store.getObject(`${ROOT}/builds/${key}.json`);
    if (!raw) return null;
    const parsed = packageBuildSchema.safeParse(JSON.parse(raw.toString('utf8')));
    if (!parsed.success) return null;
    this.builds.set(key, parsed.data);
    return parsed.data;
  }

  /** Stores the bundle, then its record; returns the record. */
  async putBuild(buildKey: string, build: Omit<PackageBuild, 'file'>, code: Buffer): Promise<PackageBuild> {
    const sha256 = createHash('sha256').update(code).digest('hex');
    const record: PackageBuild = { ...build, file: { sha256, bytes: code.length } };
    await this.store.putObject(`${ROOT}/files/${sha256}`, code);
    this.files.set(sha256, code);
    const key = hash(buildKey);
    await this.store.putObject(`${ROOT}/builds/${key}.json`, Buffer.from(JSON.stringify(record)));
    this.builds.set(key, record);
    return record;
  }

  async file(sha256: string): Promise<Buffer | null> {
    const cached = this.files.get(sha256);
    if (cached) return cached;
    const data = await this.store.getObject(`${ROOT}/files/${sha256}`);
    if (data) this.files.set(sha256, data);
    return data;
  }
}
