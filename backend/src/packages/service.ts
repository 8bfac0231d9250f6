import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackageBuild, PackageResolveQuery } from '@patchpad/shared';
import type { BuildLimit } from './build-limit';
import { BUNDLER_VERSION, bundleSpecifier } from './bundle';
import { packageError } from './errors';
import { SHARED_PACKAGES, type TreeInstaller, type InstallOptions } from './install';
import { refusalFor, type PackagePolicy } from './policy';
import type { PackageRecords } from './records';

/**
 * Resolves a bare import for the preview: the version (pinned the first time a range is
 * seen), then the bundle (built once, from the registry, into the store). Concurrent
 * requests for the same thing share one build; a stored one answers without the registry.
 */

export interface PackageServiceDeps {
  records: PackageRecords;
  policy: PackagePolicy;
  /** A fresh installer per build (it caches packuments for that build only). */
  installer: () => TreeInstaller;
  install: Omit<InstallOptions, 'registry' | 'policy'>;
  maxBundleBytes: number;
  limit?: BuildLimit;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export const packageNameOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

export class PackageService {
  private readonly inflight = new Map<string, Promise<PackageBuild>>();
  /** Builds made by this process, for tests and the benchmark. */
  buildCount = 0;

  constructor(private readonly deps: PackageServiceDeps) {}

  async resolve(query: PackageResolveQuery, uid: string): Promise<PackageBuild> {
    const name = packageNameOf(query.specifier);
    const refusal = refusalFor(this.deps.policy, name);
    if (refusal) throw packageError('package_denied', refusal);
    const version = await this.version(name, query.range);
    const key = JSON.stringify({ v: BUNDLER_VERSION, name, version, specifier: query.specifier });
    const stored = await this.deps.records.build(key);
    if (stored) return stored;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.build(key, query.specifier, name, version, uid).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async version(name: string, range: string): Promise<string> {
    const pinned = await this.deps.records.resolution(name, range);
    if (pinned) return pinned;
    const info = await this.deps.installer().version(name, range);
    await this.deps.records.putResolution(name, range, info.version);
    return info.version;
  }

  private async build(key: string, specifier: string, name: string, version: string, uid: string): Promise<PackageBuild> {
    await this.deps.limit?.take(uid);
    const started = Date.now();
    const folder = await mkdtemp(join(tmpdir(), 'pp-package-'));
    try {
      const installer = this.deps.installer();
      const root = await installer.version(name, version);
      const tree = await installer.install(root, name, folder);
      const externals = new Set([...tree.externals.keys(), ...[...SHARED_PACKAGES].filter((p) => p !== name)]);
      const bundle = await bundleSpecifier(specifier, folder, externals, this.deps.maxBundleBytes);
      const requires = bundle.requires.map((s) => ({ specifier: s, range: tree.externals.get(packageNameOf(s)) ?? '*' }));
      const record = await this.deps.records.putBuild(key, { specifier, name, version, kind: bundle.kind, requires }, Buffer.from(bundle.code));
      this.buildCount++;
      this.deps.log.info({ specifier, version, packages: tree.packages.length, bytes: record.file.bytes, ms: Date.now() - started }, 'preview package built');
      return record;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}
