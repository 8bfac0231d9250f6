import type { ClientConfig } from '@patchpad/shared';

/** Where the API lives: same origin (proxied) unless the build says otherwise. */
export const API_BASE = (import.meta.env.VITE_API_URL as string | undefined)?.replace(/\/+$/, '') ?? '';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The user's ID token; `fresh` asks for a new one even when the cached one looks valid. */
export type TokenSource = (fresh?: boolean) => Promise<string>;

async function failure(res: Response): Promise<ApiError> {
  // Loaded on the error path only: a static import would pull the whole contract package
  // (zod and every schema) into the first-load chunk, +26 KB gzip measured. Should the chunk
  // not load (a redeploy removed it), the status alone still tells the user what happened.
  const contract = await import('@patchpad/shared').catch(() => null);
  const body: unknown = await res.json().catch(() => null);
  // A proxy or load balancer in front of the API may answer with a page of its own.
  const parsed = contract?.apiErrorBodySchema.safeParse(body);
  if (!parsed?.success) return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`);
  const { code, message, details } = parsed.data.error;
  return new ApiError(res.status, code, message, details);
}

/** Typed JSON calls with the user's Firebase ID token; errors carry the server's message. */
export function createApi(token: TokenSource) {
  async function send(method: string, path: string, body: BodyInit | null, headers: Record<string, string>): Promise<Response> {
    const res = await fetch(`${API_BASE}${path}`, { method, headers: { Authorization: `Bearer ${await token()}`, ...headers }, body });
    if (!res.ok) throw await failure(res);
    return res;
  }
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const json: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    const res = await send(method, path, body === undefined ? null : JSON.stringify(body), { ...json, ...headers });
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
    del: <T>(path: string) => call<T>('DELETE', path),
    /** A binary upload (a zip) answered with JSON. */
    upload: async <T>(path: string, body: Blob, headers: Record<string, string> = {}) => (await (await send('POST', path, body, headers)).json()) as T,
    /** A binary download (a zip). */
    download: async (path: string) => (await send('GET', path, null, {})).blob(),
    /** A download with the file name the server gave it (Content-Disposition). */
    async downloadNamed(path: string): Promise<{ blob: Blob; filename: string | null }> {
      const res = await send('GET', path, null, {});
      const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null;
      return { blob: await res.blob(), filename };
    },
    /** An authenticated streaming GET (EventSource cannot send Authorization headers). */
    async stream(path: string, headers: Record<string, string>, signal: AbortSignal, options: { freshToken?: boolean } = {}): Promise<Response> {
      const auth = `Bearer ${await token(options.freshToken)}`;
      const res = await fetch(`${API_BASE}${path}`, { headers: { Authorization: auth, Accept: 'text/event-stream', ...headers }, signal });
      if (!res.ok) throw await failure(res);
      return res;
    },
  };
}
export type Api = ReturnType<typeof createApi>;

export async function fetchClientConfig(): Promise<ClientConfig> {
  const res = await fetch(`${API_BASE}/api/config`);
  if (!res.ok) throw await failure(res);
  return (await res.json()) as ClientConfig;
}
