import { howToAddPackage, MANIFEST_PATH, type PackageManifest } from '../packages/manifest';
import { packageNameOf } from './resolve';

/**
 * npm packages from the local, versioned package cache. Bundles are fetched once per
 * page (and from the HTTP cache after that: they are immutable) and evaluated once per
 * page, so an edit never re-downloads or re-evaluates React.
 */

export class PackageNotFoundError extends Error {
  override readonly name = 'ModuleNotFoundError';
  constructor(
    readonly packageName: string,
    readonly specifier: string,
    available: boolean,
  ) {
    super(
      available
        ? `Package "${packageName}" is in the preview's package cache, but not the entry "${specifier}". ${howToAddPackage(packageName)}`
        : `Could not find package "${packageName}". ${howToAddPackage(packageName)}`,
    );
  }
}

interface CjsModule {
  exports: unknown;
}

export class PackageStore {
  private manifest: Promise<PackageManifest> | null = null;
  private readonly sources = new Map<string, Promise<string>>();
  private readonly loaded = new Map<string, string>();
  private readonly instances = new Map<string, CjsModule>();
  private readonly unknown = new Set<string>();

  constructor(private readonly fetchText: (url: string) => Promise<string>) {}

  /** Starts fetching the manifest (and the given entries) before the first compile asks. */
  warmUp(specifiers: readonly string[]): void {
    void this.prefetch(specifiers).catch(() => undefined);
  }

  getManifest(): Promise<PackageManifest> {
    this.manifest ??= this.fetchText(MANIFEST_PATH).then((text) => JSON.parse(text) as PackageManifest);
    this.manifest.catch(() => {
      this.manifest = null; // retried by the next compile
    });
    return this.manifest;
  }

  /** Whether `prefetch(specifiers)` has nothing left to do. */
  isReady(specifiers: readonly string[]): boolean {
    return specifiers.every((s) => this.loaded.has(s) || this.unknown.has(s));
  }

  /**
   * Fetches every bundle needed for `specifiers` (and what those bundles require).
   * Returns the specifiers that are not in the cache; their `require` throws later, at
   * the import site, so the error can name the file and line.
   */
  async prefetch(specifiers: readonly string[]): Promise<string[]> {
    const missing = specifiers.filter((s) => !this.loaded.has(s));
    if (missing.length === 0) return [];
    const manifest = await this.getManifest();
    const unknown: string[] = [];
    const wanted = new Set<string>();
    const visit = (specifier: string) => {
      if (wanted.has(specifier)) return;
      if (!(specifier in manifest.entries)) {
        unknown.push(specifier);
        this.unknown.add(specifier);
        return;
      }
      wanted.add(specifier);
      for (const dep of manifest.requires[specifier] ?? []) visit(dep);
    };
    missing.forEach(visit);
    await Promise.all(
      [...wanted].map(async (specifier) => {
        if (this.loaded.has(specifier)) return;
        let source = this.sources.get(specifier);
        if (!source) {
          source = this.fetchText(`${manifest.base}${manifest.entries[specifier]}`);
          this.sources.set(specifier, source);
          source.catch(() => this.sources.delete(specifier));
        }
        this.loaded.set(specifier, await source);
      }),
    );
    return unknown;
  }

  /** Synchronous require of a prefetched entry; throws PackageNotFoundError otherwise. */
  require(specifier: string): unknown {
    const existing = this.instances.get(specifier);
    if (existing) return existing.exports;
    const source = this.loaded.get(specifier);
    if (source === undefined) {
      const name = packageNameOf(specifier) ?? specifier;
      const known = [...this.loaded.keys()].some((s) => packageNameOf(s) === name);
      throw new PackageNotFoundError(name, specifier, known);
    }
    const module: CjsModule = { exports: {} };
    this.instances.set(specifier, module);
    try {
      const factory = (0, eval)(`(function (module, exports, require, process, global) {${source}\n})\n//# sourceURL=pp-package://${specifier}`) as (
        module: CjsModule,
        exports: unknown,
        require: (s: string) => unknown,
        process: unknown,
        global: unknown,
      ) => void;
      factory(module, module.exports, (s) => this.require(s), PROCESS_SHIM, globalThis);
    } catch (error) {
      this.instances.delete(specifier);
      throw error;
    }
    return module.exports;
  }
}

/** What `process` is inside bundles and user modules (bundles were built with NODE_ENV inlined). */
export const PROCESS_SHIM: { env: Record<string, string>; browser: boolean } = { env: { NODE_ENV: 'development' }, browser: true };
