import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { StoreUnavailableError } from '../store';

/**
 * One B2 bucket through the `backblaze-b2` package, with the error handling B2's integration
 * guide asks of clients: authorize once and again on 401 expired/bad token; on any failed
 * upload drop that upload URL and get a new one; retry 408, 429 and 5xx with exponential
 * backoff (honouring Retry-After); send each upload's SHA-1. The package's own retries are
 * turned off so that this is the only policy.
 */

const require = createRequire(import.meta.url);

export const B2_AUTHORIZE_URL = 'https://api.backblazeb2.com/b2api/v2/b2_authorize_account';

export interface B2Credentials {
  keyId: string;
  applicationKey: string;
  bucketId: string;
  bucketName: string;
  /** b2_authorize_account endpoint: Backblaze's unless testing or using a B2-compatible service. */
  authorizeUrl?: string;
}

export interface RetryPolicy {
  /** Tries per call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

export interface RetryEvent {
  op: string;
  attempt: number;
  status: number | null;
  code: string;
  delayMs: number;
}

export interface B2ClientOptions {
  retry?: RetryPolicy;
  /** Per-request timeout; a timed-out request counts as a retryable failure. */
  timeoutMs?: number;
  onRetry?: (e: RetryEvent) => void;
}

/** A B2 call that failed for good: which call, B2's status and code, how many tries. */
export class B2CallError extends StoreUnavailableError {
  constructor(
    readonly op: string,
    readonly status: number | null,
    readonly code: string,
    detail: string,
    readonly attempts: number,
    retryable: boolean,
  ) {
    super(`B2 ${op} failed${status === null ? '' : ` with ${status}`} ${code}: ${detail} (after ${attempts} ${attempts === 1 ? 'try' : 'tries'})`, retryable);
    this.name = 'B2CallError';
  }
}

/** reauthorize: the account token expired; new_url: the upload URL's own token did. */
type Reaction = 'reauthorize' | 'new_url' | 'retry' | 'fail';

interface Failure {
  reaction: Reaction;
  status: number | null;
  code: string;
  message: string;
  retryAfterMs: number | null;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** B2 error bodies are JSON `{status, code, message}`; downloads deliver them as bytes. */
function errorBody(data: unknown): { code?: string; message?: string } {
  if (data instanceof ArrayBuffer || Buffer.isBuffer(data)) {
    try {
      return JSON.parse(Buffer.from(data as ArrayBuffer).toString('utf8')) as { code?: string; message?: string };
    } catch {
      return {};
    }
  }
  return data && typeof data === 'object' ? (data as { code?: string; message?: string }) : {};
}

export function classify(err: unknown): Failure {
  const e = err as { response?: { status?: number; data?: unknown; headers?: Record<string, unknown> }; code?: string; message?: string };
  if (!e.response) {
    // No answer at all (reset, refused, timeout): B2 asks for a retry, uploads with a new URL.
    return { reaction: 'retry', status: null, code: e.code ?? 'network_error', message: e.message ?? String(err), retryAfterMs: null };
  }
  const status = e.response.status ?? 0;
  const body = errorBody(e.response.data);
  const code = body.code ?? 'unknown';
  const message = body.message ?? e.message ?? '';
  const retryAfter = Number(e.response.headers?.['retry-after']);
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null;
  let reaction: Reaction = 'fail';
  if (status === 401 && (code === 'expired_auth_token' || code === 'bad_auth_token')) reaction = 'reauthorize';
  else if (RETRYABLE_STATUS.has(status)) reaction = 'retry';
  return { reaction, status, code, message, retryAfterMs };
}

/** Exponential backoff with jitter; Retry-After wins when it asks for longer (up to a minute). */
export function backoff(policy: RetryPolicy, attempt: number, retryAfterMs: number | null): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exp / 2 + Math.random() * (exp / 2);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, 60_000));
}

interface UploadUrl {
  uploadUrl: string;
  authorizationToken: string;
}

type ListArgs = { bucketId: string; prefix: string; startFileName?: string; maxFileCount: number; delimiter?: string };
type ListPage = { files: B2File[]; nextFileName: string | null };
type VersionArgs = { bucketId: string; startFileName: string; startFileId?: string; maxFileCount: number; axiosOverride: { data: { prefix: string } } };
type VersionPage = { files: (B2File & { fileId: string })[]; nextFileName: string | null; nextFileId: string | null };

/** One name in a listing ("folder" entries, with a delimiter, have no id and time 0). */
export type B2File = { fileName: string; uploadTimestamp: number; action?: string };

type B2Package = {
  authorize(args: { axiosOverride: { url: string } }): Promise<unknown>;
  getUploadUrl(args: { bucketId: string }): Promise<{ data: UploadUrl }>;
  uploadFile(args: { uploadUrl: string; uploadAuthToken: string; fileName: string; data: Buffer; mime: string; hash: string }): Promise<unknown>;
  downloadFileByName(args: { bucketName: string; fileName: string; responseType: 'arraybuffer' }): Promise<{ data: ArrayBuffer }>;
  listFileNames(args: ListArgs): Promise<{ data: ListPage }>;
  listFileVersions(args: VersionArgs): Promise<{ data: VersionPage }>;
  deleteFileVersion(args: { fileId: string; fileName: string }): Promise<unknown>;
};

/** A failure of the upload itself (not of getting its URL): B2 says to get a new upload URL. */
class UploadFailed extends Error {
  constructor(readonly inner: unknown) {
    super('upload failed');
  }
}

function failureOf(err: unknown): Failure {
  if (!(err instanceof UploadFailed)) return classify(err);
  const f = classify(err.inner);
  return f.reaction === 'reauthorize' ? { ...f, reaction: 'new_url' } : f;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class B2Bucket {
  private readonly b2: B2Package;
  private readonly policy: RetryPolicy;
  private auth: Promise<number> | null = null;
  private generation = 0;
  /** Upload URLs not in use: B2 allows one upload at a time per URL, and reusing them saves a call. */
  private idle: UploadUrl[] = [];

  constructor(
    private readonly creds: B2Credentials,
    private readonly options: B2ClientOptions = {},
  ) {
    const B2 = require('backblaze-b2') as new (o: object) => B2Package;
    this.b2 = new B2({
      applicationKeyId: creds.keyId,
      applicationKey: creds.applicationKey,
      axios: { timeout: options.timeoutMs ?? 60_000, maxContentLength: Infinity, maxBodyLength: Infinity },
      retry: { retries: 0 },
    });
    this.policy = options.retry ?? DEFAULT_RETRY;
  }

  /** Resolves to the current authorization's generation; one b2_authorize_account in flight at most. */
  private authorized(): Promise<number> {
    this.auth ??= this.b2.authorize({ axiosOverride: { url: this.creds.authorizeUrl ?? B2_AUTHORIZE_URL } }).then(
      () => ++this.generation,
      (err: unknown) => {
        this.auth = null;
        throw err;
      },
    );
    return this.auth;
  }

  /** Drops the authorization `generation` (unless a newer one already replaced it). */
  private expire(generation: number): void {
    if (generation === this.generation) {
      this.auth = null;
      this.idle = [];
    }
  }

  /** Runs `fn` under B2's retry rules. */
  private async run<T>(op: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let generation = this.generation;
      try {
        generation = await this.authorized();
        return await fn();
      } catch (err) {
        const f = failureOf(err);
        if (f.reaction === 'fail' || attempt >= this.policy.attempts) throw new B2CallError(op, f.status, f.code, f.message, attempt, f.reaction !== 'fail');
        if (f.reaction === 'reauthorize') this.expire(generation);
        // Upload URLs handed out with the same authorization are as stale as the one that failed.
        if (f.reaction === 'new_url') this.idle = [];
        const delayMs = f.reaction === 'retry' ? backoff(this.policy, attempt, f.retryAfterMs) : 0;
        this.options.onRetry?.({ op, attempt, status: f.status, code: f.code, delayMs: Math.round(delayMs) });
        if (delayMs > 0) await sleep(delayMs);
      }
    }
  }

  async upload(fileName: string, data: Buffer, mime: string): Promise<void> {
    const hash = createHash('sha1').update(data).digest('hex');
    await this.run(`upload ${fileName}`, async () => {
      const url = this.idle.pop() ?? (await this.b2.getUploadUrl({ bucketId: this.creds.bucketId })).data;
      try {
        await this.b2.uploadFile({ uploadUrl: url.uploadUrl, uploadAuthToken: url.authorizationToken, fileName, data, mime, hash });
      } catch (err) {
        throw new UploadFailed(err); // and the URL is not put back
      }
      this.idle.push(url);
    });
  }

  /** The file's bytes, or null when there is no such file. */
  async download(fileName: string): Promise<Buffer | null> {
    try {
      const res = await this.run(`download ${fileName}`, () =>
        this.b2.downloadFileByName({ bucketName: this.creds.bucketName, fileName, responseType: 'arraybuffer' }),
      );
      return Buffer.from(res.data);
    } catch (err) {
      if (err instanceof B2CallError && err.status === 404) return null;
      throw err;
    }
  }

  /** Every name under `prefix` (with a delimiter, sub-"folders" once each, ending in it), all pages. */
  async list(prefix: string, delimiter?: string): Promise<string[]> {
    const names: string[] = [];
    let start: string | null = null;
    do {
      const page = await this.listPage(prefix, { start, max: 1000, ...(delimiter ? { delimiter } : {}) });
      names.push(...page.files.map((f) => f.fileName));
      start = page.next;
    } while (start !== null);
    return names;
  }

  /** One b2_list_file_names call: names under `prefix` from `start` (inclusive); B2 may return fewer than `max`. */
  async listPage(prefix: string, q: { start: string | null; max: number; delimiter?: string }): Promise<{ files: B2File[]; next: string | null }> {
    const args: ListArgs = { bucketId: this.creds.bucketId, prefix, maxFileCount: q.max };
    if (q.start !== null) args.startFileName = q.start;
    if (q.delimiter) args.delimiter = q.delimiter;
    const page: ListPage = (await this.run(`list ${prefix}`, () => this.b2.listFileNames(args))).data;
    return { files: page.files, next: page.nextFileName };
  }

  /**
   * Deletes every stored version of `fileName` (B2 keeps the old content of a name as older
   * versions: deleting only the newest would bring the previous one back). Absent: no-op.
   */
  async deleteAll(fileName: string): Promise<void> {
    for (let round = 0; ; round++) {
      if (round === 100) throw new B2CallError(`delete ${fileName}`, null, 'too_many_versions', 'versions keep appearing', round, true);
      const args: VersionArgs = { bucketId: this.creds.bucketId, startFileName: fileName, maxFileCount: 100, axiosOverride: { data: { prefix: fileName } } };
      const page = (await this.run(`list versions of ${fileName}`, () => this.b2.listFileVersions(args))).data;
      const mine = page.files.filter((f) => f.fileName === fileName);
      if (mine.length === 0) return;
      for (const f of mine) {
        await this.run(`delete ${fileName}`, () =>
          this.b2.deleteFileVersion({ fileId: f.fileId, fileName }).catch((err: unknown) => {
            // Already gone (a retry after a lost answer, or another deleter): that is the goal.
            if (classify(err).status === 404 || classify(err).code === 'file_not_present') return undefined;
            throw err;
          }),
        );
      }
    }
  }
}
