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

/**
 * Where projects live. Content-addressed: file bodies are gzip blobs named by their SHA-256,
 * a version is a manifest `{path → sha256, size}`, so saving a one-line change uploads one
 * small blob. Drivers: `fs` (a local folder, default) and `b2` (Backblaze B2). Every
 * driver passes the same contract suite (backend/test/store-contract.ts).
 */
export interface ProjectStore {
  readonly driver: string;
  hasBlob(sha256: string): Promise<boolean>;
  putBlob(sha256: string, gzipped: Buffer): Promise<void>;
  getBlob(sha256: string): Promise<Buffer>;
  putMeta(meta: ProjectMeta): Promise<void>;
  getMeta(uid: string, projectId: string): Promise<ProjectMeta | null>;
  listMeta(uid: string): Promise<ProjectMeta[]>;
  putManifest(uid: string, manifest: VersionManifest): Promise<void>;
  getManifest(uid: string, projectId: string, versionId: string): Promise<VersionManifest | null>;
  /** Version ids, newest first. */
  listVersions(uid: string, projectId: string): Promise<string[]>;
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
