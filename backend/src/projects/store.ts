import type { ProjectMeta, VersionManifest } from '@patchpad/shared';

/**
 * The store could not be reached or refused the call, after the driver's own retries.
 * `retryable`: the last failure was one that may pass on a later try (timeouts, 429, 5xx).
 * The API answers 503 (retryable) or 502, saying that nothing was saved.
 */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** One page of a listing; `next` is the cursor for the following page (null: that was the last). */
export type Page<T> = { items: T[]; next: string | null };

/** A stored blob: its hash and when it was written (whole ms since the epoch, as Date.now()), for the GC's grace period. */
export type BlobInfo = { sha256: string; storedAt: number };

/**
 * Where projects live. Content-addressed: file bodies are gzip blobs named by their SHA-256,
 * a version is a manifest `{path → sha256, size}`, so saving a one-line change uploads one
 * small blob. Drivers: `fs` (a local folder, default) and `b2` (Backblaze B2). Every
 * driver passes the same contract suite (backend/test/store-contract.ts).
 *
 * Blobs are shared by every project and user; only the mark-and-sweep GC (gc.ts) deletes
 * them, under the fence that keeps it from deleting what a save is about to reference.
 */
export interface ProjectStore {
  readonly driver: string;
  hasBlob(sha256: string): Promise<boolean>;
  putBlob(sha256: string, gzipped: Buffer): Promise<void>;
  getBlob(sha256: string): Promise<Buffer>;
  /** Removes the blob (every stored copy of it); a missing blob is not an error. */
  deleteBlob(sha256: string): Promise<void>;
  /** Every blob, in hash order, `limit` at a time, starting after the hash `after`. */
  listBlobs(page: { after?: string; limit: number }): Promise<Page<BlobInfo>>;
  putMeta(meta: ProjectMeta): Promise<void>;
  getMeta(uid: string, projectId: string): Promise<ProjectMeta | null>;
  listMeta(uid: string): Promise<ProjectMeta[]>;
  putManifest(uid: string, manifest: VersionManifest): Promise<void>;
  getManifest(uid: string, projectId: string, versionId: string): Promise<VersionManifest | null>;
  /** Version ids newest first, `limit` at a time, older than the id `before`; `next` is the next page's `before`. */
  listVersions(uid: string, projectId: string, page: { before?: string; limit: number }): Promise<Page<string>>;
  /** Deletes the project for good: its manifests first, its metadata last (a crash part-way leaves it listed, to purge again). */
  deleteProject(uid: string, projectId: string): Promise<void>;
  /** Every project of every user (trash purge), `limit` at a time. */
  scanProjects(page: { after?: string; limit: number }): Promise<Page<ProjectMeta>>;
  /** Every version manifest of every project (the GC's mark phase), `limit` at a time. */
  scanManifests(page: { after?: string; limit: number }): Promise<Page<VersionManifest>>;
  /**
   * Records that are not projects (sealed audit checkpoints and segments), by a name of safe
   * segments joined with '/'. Written once, never changed.
   */
  putObject(name: string, data: Buffer): Promise<void>;
  getObject(name: string): Promise<Buffer | null>;
  /** Names under `prefix` (which ends with '/'), sorted ascending. */
  listObjects(prefix: string): Promise<string[]>;
  /** Cheap reachability check for /health/detailed. */
  ping(): Promise<void>;
}

/** Runs `fn` over every page of a listing. */
export async function eachPage<T>(list: (after: string | undefined) => Promise<Page<T>>, fn: (items: T[]) => Promise<void> | void): Promise<void> {
  let after: string | undefined;
  do {
    const page = await list(after);
    await fn(page.items);
    after = page.next ?? undefined;
  } while (after !== undefined);
}

/** Newest-first page of a list of sortable ids (drivers that list everything, then cut). */
export function pageNewestFirst(ids: string[], page: { before?: string; limit: number }): Page<string> {
  const sorted = ids.sort().reverse();
  const from = page.before === undefined ? 0 : sorted.findIndex((id) => id < page.before!);
  if (from === -1) return { items: [], next: null };
  const items = sorted.slice(from, from + page.limit);
  return { items, next: from + page.limit < sorted.length ? items.at(-1)! : null };
}
