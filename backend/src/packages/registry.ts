import { packageError } from './errors';
import { registryFor, tokenFor, type RegistrySettings } from './npmrc';

/**
 * The npm registry over HTTP: abbreviated packuments (what `npm install` reads) and
 * tarballs, each with a timeout, a size cap and the configured token for its host. No
 * install scripts exist on this path: tarballs are only read.
 */

export interface VersionInfo {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  dist: { tarball: string; integrity?: string; shasum?: string };
}

export interface Packument {
  name: string;
  tags: Record<string, string>;
  versions: Map<string, VersionInfo>;
}

export interface RegistryOptions {
  settings: RegistrySettings;
  timeoutMs: number;
  maxTarballBytes: number;
  fetch?: typeof fetch;
}

const record = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

export class NpmRegistry {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RegistryOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get registryUrl(): string {
    return this.options.settings.registry;
  }

  async packument(name: string): Promise<Packument> {
    const base = registryFor(this.options.settings, name);
    const url = `${base}${name.replace('/', '%2f')}`;
    const res = await this.get(url, 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8', name);
    if (res.status === 404) throw packageError('package_not_found', `Package "${name}" does not exist on the registry (${base}).`);
    if (!res.ok) throw packageError('registry_unavailable', `The registry answered ${res.status} for "${name}"; try again later.`);
    const body = (await res.json().catch(() => null)) as { name?: unknown; 'dist-tags'?: unknown; versions?: unknown } | null;
    if (!body || typeof body.versions !== 'object' || body.versions === null) {
      throw packageError('registry_unavailable', `The registry's answer for "${name}" is not a package document.`);
    }
    const versions = new Map<string, VersionInfo>();
    for (const [version, raw] of Object.entries(body.versions as Record<string, unknown>)) {
      const v = raw as {
        dependencies?: unknown;
        peerDependencies?: unknown;
        peerDependenciesMeta?: unknown;
        dist?: { tarball?: unknown; integrity?: unknown; shasum?: unknown };
      };
      if (typeof v?.dist?.tarball !== 'string') continue;
      versions.set(version, {
        version,
        dependencies: record(v.dependencies),
        peerDependencies: record(v.peerDependencies),
        peerDependenciesMeta: (typeof v.peerDependenciesMeta === 'object' && v.peerDependenciesMeta !== null
          ? v.peerDependenciesMeta
          : {}) as VersionInfo['peerDependenciesMeta'],
        dist: {
          tarball: v.dist.tarball,
          ...(typeof v.dist.integrity === 'string' ? { integrity: v.dist.integrity } : {}),
          ...(typeof v.dist.shasum === 'string' ? { shasum: v.dist.shasum } : {}),
        },
      });
    }
    return { name, tags: record(body['dist-tags']), versions };
  }

  /** The tarball's bytes, refused past PACKAGES_MAX_TARBALL_BYTES before or while reading. */
  async tarball(id: string, url: string): Promise<Buffer> {
    const res = await this.get(url, 'application/octet-stream', id);
    if (!res.ok) throw packageError('registry_unavailable', `The registry answered ${res.status} for the tarball of ${id}; try again later.`);
    const max = this.options.maxTarballBytes;
    const tooLarge = () => packageError('package_too_large', `The tarball of ${id} is larger than ${max} bytes (PACKAGES_MAX_TARBALL_BYTES).`);
    if (Number(res.headers.get('content-length') ?? 0) > max) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = res.body?.getReader();
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      total += read.value.length;
      if (total > max) {
        await reader?.cancel();
        throw tooLarge();
      }
      chunks.push(Buffer.from(read.value));
    }
    return Buffer.concat(chunks);
  }

  private async get(url: string, accept: string, what: string): Promise<Response> {
    const token = tokenFor(this.options.settings, url);
    try {
      return await this.fetch(url, {
        headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'follow',
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `did not answer within ${this.options.timeoutMs} ms` : 'could not be reached';
      throw packageError('registry_unavailable', `The npm registry ${reason} while fetching ${what}; try again later.`);
    }
  }
}
