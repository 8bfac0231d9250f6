import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { B2Error, header, json, listNames, parseJson, type StoredFile } from './fake-b2-http';
import { readBody } from './read-body';
import type { AddressInfo } from 'node:net';

/**
 * The Backblaze B2 native API calls our driver makes, on loopback, as B2's documentation
 * describes them: b2_authorize_account (Basic auth), b2_get_upload_url, uploads to the URL it
 * hands out (its own token, X-Bz-File-Name, X-Bz-Content-Sha1 checked against the bytes),
 * b2_list_file_names (prefix, delimiter folders, startFileName / nextFileName paging),
 * download by name, b2_list_file_versions and b2_delete_file_version. Like B2, uploading an
 * existing name adds a version: the name shows the newest, and deleting that one brings the
 * previous back. Errors use B2's `{status, code, message}` body.
 *
 * Faults for tests: expire every token issued so far (401 expired_auth_token), or make the next
 * n calls of one kind fail with a status (503 on upload, 429 with Retry-After, ...).
 */

export type FakeB2Call = 'authorize' | 'get_upload_url' | 'upload' | 'list_file_names' | 'download' | 'list_file_versions' | 'delete_file_version';

export interface FakeB2Options {
  /** Largest page b2_list_file_names returns, whatever maxFileCount asks (B2: 10,000). */
  maxPage?: number;
}

export interface FakeB2 {
  keyId: string;
  applicationKey: string;
  bucketId: string;
  bucketName: string;
  authorizeUrl: string;
  /** How many calls of each kind arrived (failed ones included). */
  calls: Record<FakeB2Call, number>;
  /** Every file name stored (with at least one version), sorted. */
  names(): string[];
  /** How many versions of `name` are stored. */
  versionCount(name: string): number;
  /** Every token handed out so far answers 401 expired_auth_token from now on. */
  expireTokens(): void;
  /** The next `times` calls of `kind` answer `status` (503 service_unavailable by default). */
  fail(kind: FakeB2Call, times: number, status?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  408: 'request_timeout',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

const token = (kind: string) => `${kind}_${randomBytes(12).toString('hex')}`;

/** B2 file names travel percent-encoded, '/' left as is. */
const decodeName = (raw: string) => decodeURIComponent(raw.replace(/\+/g, ' '));

export async function startFakeB2(options: FakeB2Options = {}): Promise<FakeB2> {
  const keyId = `key${randomBytes(4).toString('hex')}`;
  const applicationKey = randomBytes(16).toString('hex');
  const bucketId = `bucket${randomBytes(6).toString('hex')}`;
  const bucketName = 'patchpad-test';
  const maxPage = options.maxPage ?? 10_000;
  /** Versions of each name, oldest first. */
  const files = new Map<string, StoredFile[]>();
  const latest = (name: string) => files.get(name)?.at(-1);
  const accountTokens = new Set<string>(); // valid ones
  const uploadTokens = new Map<string, string>(); // upload path -> its valid token
  const expired = new Set<string>();
  const faults = new Map<FakeB2Call, Array<{ status: number; retryAfter?: number }>>();
  const calls: Record<FakeB2Call, number> = {
    authorize: 0,
    get_upload_url: 0,
    upload: 0,
    list_file_names: 0,
    download: 0,
    list_file_versions: 0,
    delete_file_version: 0,
  };
  let base = '';
  let uploadSeq = 0;

  const injectFault = (kind: FakeB2Call) => {
    calls[kind]++;
    const f = faults.get(kind)?.shift();
    if (f) throw new B2Error(f.status, ERROR_CODES[f.status] ?? 'error', `injected ${f.status}`, f.retryAfter);
  };

  const checkAccountToken = (req: IncomingMessage) => {
    const t = req.headers.authorization ?? '';
    if (expired.has(t)) throw new B2Error(401, 'expired_auth_token', 'Authorization token has expired');
    if (!accountTokens.has(t)) throw new B2Error(401, 'bad_auth_token', 'Invalid authorization token');
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;

    if (path === '/b2api/v2/b2_authorize_account' && req.method === 'GET') {
      injectFault('authorize');
      const expected = `Basic ${Buffer.from(`${keyId}:${applicationKey}`).toString('base64')}`;
      if (req.headers.authorization !== expected) throw new B2Error(401, 'unauthorized', 'invalid application key id or key');
      const t = token('account');
      accountTokens.add(t);
      return json(res, 200, {
        accountId: 'acct',
        authorizationToken: t,
        apiUrl: base,
        downloadUrl: base,
        recommendedPartSize: 100_000_000,
        absoluteMinimumPartSize: 5_000_000,
        allowed: { bucketId, bucketName, capabilities: ['listFiles', 'readFiles', 'writeFiles'], namePrefix: null },
      });
    }

    if (path === '/b2api/v2/b2_get_upload_url' && req.method === 'POST') {
      injectFault('get_upload_url');
      checkAccountToken(req);
      const body = parseJson((await readBody(req)).toString('utf8'));
      if (body.bucketId !== bucketId) throw new B2Error(400, 'bad_request', `Invalid bucketId: ${String(body.bucketId)}`);
      const uploadPath = `/upload/${bucketId}/${++uploadSeq}`;
      const t = token('upload');
      uploadTokens.set(uploadPath, t);
      return json(res, 200, { bucketId, uploadUrl: `${base}${uploadPath}`, authorizationToken: t });
    }

    if (path.startsWith('/upload/') && req.method === 'POST') {
      const data = await readBody(req);
      injectFault('upload');
      const t = req.headers.authorization ?? '';
      if (expired.has(t)) throw new B2Error(401, 'expired_auth_token', 'Authorization token has expired');
      if (uploadTokens.get(path) !== t) throw new B2Error(401, 'bad_auth_token', 'Invalid upload authorization token');
      const rawName = header(req, 'x-bz-file-name');
      const sha1 = header(req, 'x-bz-content-sha1');
      const length = Number(header(req, 'content-length'));
      if (!rawName) throw new B2Error(400, 'bad_request', 'Missing header: X-Bz-File-Name');
      if (!sha1) throw new B2Error(400, 'bad_request', 'Missing header: X-Bz-Content-Sha1');
      if (length !== data.length) throw new B2Error(400, 'bad_request', 'Content-Length does not match data received');
      if (sha1 !== 'do_not_verify' && sha1 !== createHash('sha1').update(data).digest('hex')) {
        throw new B2Error(400, 'bad_request', 'Sha1 did not match data received');
      }
      const fileName = decodeName(rawName);
      const stored: StoredFile = {
        fileId: `4_z${randomBytes(10).toString('hex')}`,
        data,
        contentType: header(req, 'content-type') ?? 'application/octet-stream',
        sha1,
        uploadTimestamp: Date.now(),
      };
      files.set(fileName, [...(files.get(fileName) ?? []), stored]);
      return json(res, 200, {
        accountId: 'acct',
        action: 'upload',
        bucketId,
        contentLength: data.length,
        contentSha1: sha1,
        contentType: stored.contentType,
        fileId: stored.fileId,
        fileInfo: {},
        fileName,
        uploadTimestamp: stored.uploadTimestamp,
      });
    }

    if (path === '/b2api/v2/b2_list_file_names' && req.method === 'POST') {
      injectFault('list_file_names');
      checkAccountToken(req);
      const body = parseJson((await readBody(req)).toString('utf8'));
      if (body.bucketId !== bucketId) throw new B2Error(400, 'bad_request', `Invalid bucketId: ${String(body.bucketId)}`);
      const prefix = typeof body.prefix === 'string' ? body.prefix : '';
      const delimiter = typeof body.delimiter === 'string' && body.delimiter !== '' ? body.delimiter : null;
      const start = typeof body.startFileName === 'string' ? body.startFileName : '';
      const max = Math.min(maxPage, typeof body.maxFileCount === 'number' ? body.maxFileCount : 100);
      return json(
        res,
        200,
        listNames([...files.keys()].sort(), { prefix, delimiter, start, max }, (n) => latest(n)!),
      );
    }

    if (path === '/b2api/v2/b2_list_file_versions' && req.method === 'POST') {
      injectFault('list_file_versions');
      checkAccountToken(req);
      const body = parseJson((await readBody(req)).toString('utf8'));
      if (body.bucketId !== bucketId) throw new B2Error(400, 'bad_request', `Invalid bucketId: ${String(body.bucketId)}`);
      const prefix = typeof body.prefix === 'string' ? body.prefix : '';
      const start = typeof body.startFileName === 'string' ? body.startFileName : '';
      const startId = typeof body.startFileId === 'string' ? body.startFileId : null;
      const max = Math.min(maxPage, typeof body.maxFileCount === 'number' ? body.maxFileCount : 100);
      // Names in order, each name's versions newest first; (startFileName, startFileId) inclusive.
      const all = [...files.keys()]
        .sort()
        .filter((n) => n.startsWith(prefix) && n >= start)
        .flatMap((n) => [...files.get(n)!].reverse().map((f) => ({ n, f })));
      const from =
        startId === null
          ? 0
          : Math.max(
              0,
              all.findIndex((v) => v.n === start && v.f.fileId === startId),
            );
      const page = all.slice(from, from + max);
      const next = all[from + max];
      return json(res, 200, {
        files: page.map(({ n, f }) => ({ action: 'upload', fileName: n, fileId: f.fileId, contentLength: f.data.length, uploadTimestamp: f.uploadTimestamp })),
        nextFileName: next?.n ?? null,
        nextFileId: next?.f.fileId ?? null,
      });
    }

    if (path === '/b2api/v2/b2_delete_file_version' && req.method === 'POST') {
      injectFault('delete_file_version');
      checkAccountToken(req);
      const body = parseJson((await readBody(req)).toString('utf8'));
      const name = typeof body.fileName === 'string' ? body.fileName : '';
      const versions = files.get(name) ?? [];
      const at = versions.findIndex((f) => f.fileId === body.fileId);
      if (at === -1) throw new B2Error(400, 'file_not_present', `File not present: ${name} ${String(body.fileId)}`);
      versions.splice(at, 1);
      if (versions.length === 0) files.delete(name);
      return json(res, 200, { fileId: body.fileId, fileName: name });
    }

    if (path.startsWith('/file/') && req.method === 'GET') {
      injectFault('download');
      checkAccountToken(req);
      const rest = path.slice('/file/'.length);
      const slash = rest.indexOf('/');
      if (slash === -1 || rest.slice(0, slash) !== bucketName) throw new B2Error(404, 'not_found', 'bucket not found');
      const fileName = decodeName(rest.slice(slash + 1));
      const f = latest(fileName);
      if (!f) throw new B2Error(404, 'not_found', `File not present: ${fileName}`);
      res.writeHead(200, {
        'content-type': f.contentType,
        'content-length': f.data.length,
        'x-bz-file-name': encodeURIComponent(fileName).replace(/%2F/g, '/'),
        'x-bz-file-id': f.fileId,
        'x-bz-content-sha1': f.sha1,
      });
      return void res.end(f.data);
    }

    throw new B2Error(404, 'not_found', `no such call: ${req.method} ${path}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof B2Error) {
        if (err.retryAfter !== undefined) res.setHeader('retry-after', String(err.retryAfter));
        return json(res, err.status, { status: err.status, code: err.code, message: err.message });
      }
      json(res, 500, { status: 500, code: 'internal_error', message: String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    keyId,
    applicationKey,
    bucketId,
    bucketName,
    authorizeUrl: `${base}/b2api/v2/b2_authorize_account`,
    calls,
    names: () => [...files.keys()].sort(),
    versionCount: (name) => files.get(name)?.length ?? 0,
    expireTokens() {
      for (const t of accountTokens) expired.add(t);
      for (const t of uploadTokens.values()) expired.add(t);
      accountTokens.clear();
    },
    fail(kind, times, status = 503, retryAfterSeconds) {
      const list = faults.get(kind) ?? [];
      for (let i = 0; i < times; i++) list.push(retryAfterSeconds === undefined ? { status } : { status, retryAfter: retryAfterSeconds });
      faults.set(kind, list);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
