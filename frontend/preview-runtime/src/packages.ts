import { howToAddPackage, MANIFEST_PATH, type PackageManifest } from '../packages/manifest';
import { NoPackageServiceError, type RemotePackages } from './remote-packages';
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

/** Ranges the project's package.json asks for: name → range. */
export type Ranges = Readonly<Record<string, string>>;

/** A package the service could not serve: its reason, shown at the import site. */
export class PackageUnavailableError extends Error {
  override readonly name = 'ModuleNotFoundError';
}

export class PackageStore {
  private manifest: Promise<PackageManifest> | null = null;
  private readonly sources = new Map<string, Promise<string>>();
  private readonly loaded = new Map<string, string>();
  private readonly instances = new Map<string, CjsModule>();
  private readonly unknown = new Set<string>();
  /** Specifier → why the package service could not serve it (retried by the next compile). */
  private readonly failures = new Map<string, string>();
  private readonly styles = new Set<string>();

  constructor(
    private readonly fetchText: (url: string) => Promise<string>,
    private readonly remote: RemotePackages | null = null,
    private readonly applyStyle: (id: string, css: string) => void = () => undefined,
  ) {}

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
    return specifiers.every((s) => this.loaded.has(s) || this.failures.has(s) || (this.unknown.has(s) && !this.remote));
  }

  /** Forgets why packages could not be served (package.json changed: their ranges may have). */
  clearFailures(): void {
    this.failures.clear();
  }

  /**
   * Fetches every bundle needed for `specifiers` (and what those bundles require).
   * Returns the specifiers that are not in the cache; their `require` throws later, at
   * the import site, so the error can name the file and line.
   */
  async prefetch(specifiers: readonly string[], ranges: Ranges = {}): Promise<string[]> {
    const missing = specifiers.filter((s) => !this.loaded.has(s));
    if (missing.length === 0) return [];
    const manifest = await this.getManifest();
    for (const s of missing) this.failures.delete(s);
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
    return this.fetchRemote(unknown, ranges);
  }

  /** Asks the package service for what the cache lacks (and for what those packages require). */
  private async fetchRemote(specifiers: readonly string[], ranges: Ranges): Promise<string[]> {
    const remote = this.remote;
    if (!remote || specifiers.length === 0) return [...specifiers];
    const left: string[] = [];
    await Promise.all(
      specifiers.map(async (specifier) => {
        const name = packageNameOf(specifier) ?? specifier;
        const range = ranges[name] ?? 'latest';
        try {
          const found = await remote.resolve(specifier, range);
          if (found.kind === 'style') this.styles.add(specifier);
          const peers = found.requires.filter((r) => !this.loaded.has(r.specifier));
          const peerRanges = Object.fromEntries(peers.map((r) => [packageNameOf(r.specifier) ?? r.specifier, r.range]));
          this.loaded.set(specifier, found.code);
          this.unknown.delete(specifier);
          if (peers.length > 0)
            left.push(
              ...(await this.prefetch(
                peers.map((r) => r.specifier),
                { ...peerRanges, ...ranges },
              )),
            );
        } catch (error) {
          if (!(error instanceof NoPackageServiceError)) this.failures.set(specifier, (error as Error).message);
          left.push(specifier);
        }
      }),
    );
    return left;
  }

  /** Synchronous require of a prefetched entry; throws PackageNotFoundError otherwise. */
  require(specifier: string): unknown {
    const existing = this.instances.get(specifier);
    if (existing) return existing.exports;
    const source = this.loaded.get(specifier);
    const failure = this.failures.get(specifier);
    if (source === undefined && failure !== undefined) throw new PackageUnavailableError(failure);
    if (source !== undefined && this.styles.has(specifier)) {
      this.applyStyle(`package:${specifier}`, source);
      this.instances.set(specifier, { exports: {} });
      return {};
    }
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
