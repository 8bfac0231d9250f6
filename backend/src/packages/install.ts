import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { packageError } from './errors';
import { refusalFor, type PackagePolicy } from './policy';
import type { NpmRegistry, Packument, VersionInfo } from './registry';
import { untar, verifyIntegrity, type TarLimits } from './tarball';
import { pickVersion } from './versions';

/**
 * Lays a package and the dependencies it needs out as a node_modules tree in a folder, as
 * npm would (hoisted, nested only on a version conflict), from tarballs whose integrity is
 * checked. Nothing in them is ever run. Peer dependencies are not installed: they stay
 * imports the preview resolves itself, so an app has one React, one emotion, and so on.
 */

/** Never bundled into a package: the preview has exactly one of each. */
export const SHARED_PACKAGES = new Set(['react', 'react-dom', 'react-refresh', 'scheduler']);

export interface InstallOptions {
  registry: NpmRegistry;
  policy: PackagePolicy;
  tar: TarLimits;
  maxDependencies: number;
}

export interface InstalledTree {
  /** Installed packages (`name@version`). */
  packages: string[];
  /** Peer (and shared) dependencies: name → the range the first package that needs it asked for. */
  externals: Map<string, string>;
}

interface Placement {
  name: string;
  info: VersionInfo;
  dir: string;
  importedBy: string;
}

export class TreeInstaller {
  private readonly packuments = new Map<string, Promise<Packument>>();

  constructor(private readonly options: InstallOptions) {}

  packument(name: string): Promise<Packument> {
    let p = this.packuments.get(name);
    if (!p) {
      p = this.options.registry.packument(name);
      this.packuments.set(name, p);
      p.catch(() => this.packuments.delete(name));
    }
    return p;
  }

  async version(name: string, range: string, importedBy?: string): Promise<VersionInfo> {
    const refusal = refusalFor(this.options.policy, name, importedBy);
    if (refusal) throw packageError('package_denied', refusal);
    const doc = await this.packument(name);
    const choice = pickVersion([...doc.versions.keys()], doc.tags, range);
    const info = choice.version ? doc.versions.get(choice.version) : undefined;
    if (!info)
      throw packageError(
        'version_not_found',
        `Package "${name}"${importedBy ? ` (needed by ${importedBy})` : ''}: ${choice.reason ?? `no version for "${range}"`}.`,
      );
    return info;
  }

  /** Installs `root` and what it needs into `<folder>/node_modules`. */
  async install(root: VersionInfo, name: string, folder: string): Promise<InstalledTree> {
    const top = join(folder, 'node_modules');
    const hoisted = new Map<string, string>([[name, root.version]]);
    const externals = new Map<string, string>();
    const placed: Placement[] = [];
    let level: Placement[] = [{ name, info: root, dir: join(top, name), importedBy: name }];
    let unpacked = 0;
    while (level.length > 0) {
      placed.push(...level);
      if (placed.length > this.options.maxDependencies) {
        throw packageError('too_many_dependencies', `${name} needs more than ${this.options.maxDependencies} packages (PACKAGES_MAX_DEPENDENCIES).`);
      }
      unpacked += (await Promise.all(level.map((p) => this.unpack(p)))).reduce((a, b) => a + b, 0);
      if (unpacked > this.options.tar.maxUnpackedBytes) {
        throw packageError(
          'package_too_large',
          `${name} and its dependencies unpack to more than ${this.options.tar.maxUnpackedBytes} bytes (PACKAGES_MAX_UNPACKED_BYTES).`,
        );
      }
      const wanted: Array<{ parent: Placement; dep: string; range: string }> = [];
      for (const parent of level) {
        for (const [peer, range] of Object.entries(parent.info.peerDependencies)) if (!externals.has(peer)) externals.set(peer, range);
        for (const [dep, range] of Object.entries(parent.info.dependencies)) {
          if (SHARED_PACKAGES.has(dep)) {
            if (!externals.has(dep)) externals.set(dep, range);
          } else if (!(dep in parent.info.peerDependencies)) {
            wanted.push({ parent, dep, range });
          }
        }
      }
      const chosen = new Map<string, Promise<VersionInfo>>();
      const choose = (dep: string, range: string, by: string) => {
        const key = `${dep}@${range}`;
        if (!chosen.has(key)) chosen.set(key, this.version(dep, range, by));
        return chosen.get(key) as Promise<VersionInfo>;
      };
      const infos = await Promise.all(
        wanted.map((w) => {
          const there = hoisted.get(w.dep);
          return there !== undefined && semver.satisfies(there, w.range, { loose: true }) ? null : choose(w.dep, w.range, w.parent.name);
        }),
      );
      level = [];
      const placedDirs = new Set(placed.map((p) => p.dir));
      for (const [i, w] of wanted.entries()) {
        const info = infos[i];
        if (!info) continue;
        const there = hoisted.get(w.dep);
        if (there !== undefined && semver.satisfies(there, w.range, { loose: true })) continue;
        const dir = there === undefined ? join(top, w.dep) : join(w.parent.dir, 'node_modules', w.dep);
        if (there === undefined) hoisted.set(w.dep, info.version);
        if (placedDirs.has(dir)) continue;
        placedDirs.add(dir);
        level.push({ name: w.dep, info, dir, importedBy: w.parent.name });
      }
    }
    for (const p of placed) externals.delete(p.name);
    return { packages: placed.map((p) => `${p.name}@${p.info.version}`), externals };
  }

  private async unpack(p: Placement): Promise<number> {
    const id = `${p.name}@${p.info.version}`;
    const bytes = await this.options.registry.tarball(id, p.info.dist.tarball);
    verifyIntegrity(id, bytes, p.info.dist.integrity, p.info.dist.shasum);
    const files = untar(id, bytes, this.options.tar);
    let total = 0;
    for (const [path, data] of files) {
      const target = join(p.dir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
      total += data.length;
    }
    return total;
  }
}
