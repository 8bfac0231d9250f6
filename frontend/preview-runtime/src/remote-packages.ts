/**
 * Packages the preview's built-in cache lacks, from Patchpad's package service (the
 * backend resolves the version, fetches, checks and bundles the package, once for all
 * users). The runtime has no sign-in of its own: it asks the IDE (over the Sandpack
 * channel) for `access`, a service URL and a short-lived capability for this project,
 * and asks again when the service says it expired.
 */

export interface PackageAccess {
  /** Absolute URL of the service, e.g. `https://api.example.com/api/packages`; null: no service. */
  url: string | null;
  token: string | null;
}

export interface RemotePackage {
  kind: 'script' | 'style';
  code: string;
  version: string;
  /** Packages the bundle requires (its peers), with the range it asks for. */
  requires: Array<{ specifier: string; range: string }>;
}

/** The service could not serve the package; `message` says why, in words for the user. */
export class RemotePackageError extends Error {
  override readonly name = 'ModuleNotFoundError';
}

/** Thrown when there is no service: the caller falls back to the built-in cache's message. */
export class NoPackageServiceError extends Error {}

type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

const ACCESS_WAIT_MS = 8000;

export class RemotePackages {
  private access: PackageAccess | null = null;
  private waiting: Array<(access: PackageAccess | null) => void> = [];

  constructor(
    private readonly fetch: FetchLike,
    /** Asks the IDE for access; it answers through `setAccess`. */
    private readonly requestAccess: () => void,
    private readonly onProgress: (text: string) => void = () => undefined,
  ) {}

  setAccess(access: PackageAccess): void {
    this.access = access;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(access);
  }

  async resolve(specifier: string, range: string): Promise<RemotePackage> {
    let access = await this.currentAccess();
    let answer = await this.ask(access, specifier, range);
    if (answer.status === 401) {
      this.access = null;
      access = await this.currentAccess();
      answer = await this.ask(access, specifier, range);
    }
    const body = answer.body as { url?: unknown; kind?: unknown; version?: unknown; requires?: unknown; error?: { message?: unknown } } | null;
    if (!answer.ok || typeof body?.url !== 'string') {
      const reason = typeof body?.error?.message === 'string' ? body.error.message : `the package service answered ${answer.status}`;
      throw new RemotePackageError(`Could not load package "${specifier}" (${range}) for the preview: ${reason}`);
    }
    const fileUrl = new URL(body.url, access.url as string).toString();
    const file = await this.fetch(fileUrl).catch(() => null);
    if (!file?.ok) throw new RemotePackageError(`Could not download "${specifier}" from the package service (${file ? file.status : 'no answer'}); try again.`);
    return {
      kind: body.kind === 'style' ? 'style' : 'script',
      code: await file.text(),
      version: typeof body.version === 'string' ? body.version : '',
      requires: Array.isArray(body.requires) ? (body.requires as RemotePackage['requires']) : [],
    };
  }

  private async ask(access: PackageAccess, specifier: string, range: string) {
    const url = `${access.url as string}/resolve?${new URLSearchParams({ specifier, range })}`;
    this.onProgress(`Fetching ${specifier}@${range}…`);
    try {
      const res = await this.fetch(url, { headers: access.token ? { Authorization: `Bearer ${access.token}` } : {} });
      return { ok: res.ok, status: res.status, body: await res.json().catch(() => null) };
    } catch {
      throw new RemotePackageError(`Could not reach the package service for "${specifier}"; check your connection and try again.`);
    }
  }

  private async currentAccess(): Promise<PackageAccess> {
    let access = this.access;
    if (!access) {
      access = await new Promise<PackageAccess | null>((resolve) => {
        this.waiting.push(resolve);
        if (this.waiting.length === 1) this.requestAccess();
        setTimeout(() => {
          // A host that never answers has no service: later imports fail at once.
          this.access ??= { url: null, token: null };
          resolve(this.access);
        }, ACCESS_WAIT_MS);
      });
    }
    if (!access?.url) throw new NoPackageServiceError('no package service');
    return access;
  }
}
