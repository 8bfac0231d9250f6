import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeB2, type FakeB2 } from '../../test-support/fake-b2';
import { B2Bucket, B2CallError, backoff, type RetryEvent } from '../src/projects/drivers/b2-client';
import { createB2ProjectStore, normalizeKeyPrefix } from '../src/projects/drivers/b2';
import { emulatorUser } from '../../test-support/emulator-users';
import { projectStoreContract } from './store-contract';
import { authed, startTestApi } from './support';

/** Tests wait 1–4 ms between tries instead of B2's quarter-second-and-up. */
const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

projectStoreContract(
  'b2 against a local B2 API server',
  async () => {
    const fake = await startFakeB2({ maxPage: 2 }); // small pages: every listing pages
    return { store: createB2ProjectStore({ ...fake, keyPrefix: 'deploy-a', retry: FAST }), cleanup: fake.close };
  },
  { concurrentSaves: 100 },
);

/*
 * The same contract against a real bucket when credentials are in the environment (never in
 * CI here: no network). Each run writes under its own prefix and deletes what it wrote.
 */
const real = {
  keyId: process.env.B2_TEST_KEY_ID,
  applicationKey: process.env.B2_TEST_APPLICATION_KEY,
  bucketId: process.env.B2_TEST_BUCKET_ID,
  bucketName: process.env.B2_TEST_BUCKET_NAME,
};
if (real.keyId && real.applicationKey && real.bucketId && real.bucketName) {
  const creds = { keyId: real.keyId, applicationKey: real.applicationKey, bucketId: real.bucketId, bucketName: real.bucketName };
  projectStoreContract('b2 against Backblaze (B2_TEST_* credentials)', async () => {
    const keyPrefix = `patchpad-test/${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    return { store: createB2ProjectStore({ ...creds, keyPrefix }), cleanup: () => deleteUnder(creds, `${keyPrefix}/`) };
  });
}

async function deleteUnder(creds: { keyId: string; applicationKey: string }, prefix: string): Promise<void> {
  const { createRequire } = await import('node:module');
  type Versions = { data: { files: { fileName: string; fileId: string }[] } };
  const B2 = createRequire(import.meta.url)('backblaze-b2') as new (o: object) => {
    authorize(): Promise<unknown>;
    listFileVersions(a: object): Promise<Versions>;
    deleteFileVersion(a: object): Promise<unknown>;
  };
  const b2 = new B2({ applicationKeyId: creds.keyId, applicationKey: creds.applicationKey });
  await b2.authorize();
  const { data } = await b2.listFileVersions({ bucketId: process.env.B2_TEST_BUCKET_ID, prefix, maxFileCount: 1000 });
  for (const f of data.files) await b2.deleteFileVersion({ fileId: f.fileId, fileName: f.fileName });
}

describe('B2 driver: what B2 asks of a client', () => {
  let fake: FakeB2;
  afterEach(() => fake?.close());

  const bucket = (retries: RetryEvent[] = []) => new B2Bucket(fake, { retry: FAST, onRetry: (e) => retries.push(e) });
  const blob = (text: string) => ({ sha: createHash('sha256').update(text).digest('hex'), body: gzipSync(text) });

  it('authorizes once, reuses an upload URL, and sends each upload’s SHA-1 (which the server checks)', async () => {
    fake = await startFakeB2();
    const b = bucket();
    for (const name of ['a', 'b', 'c']) await b.upload(`x/${name}`, Buffer.from(name), 'text/plain');
    expect(fake.calls).toMatchObject({ authorize: 1, get_upload_url: 1, upload: 3 });
    expect((await b.download('x/b'))?.toString()).toBe('b');

    // The server really checks: a wrong SHA-1 is refused with B2's error.
    const auth = await fetch(fake.authorizeUrl, {
      headers: { authorization: `Basic ${Buffer.from(`${fake.keyId}:${fake.applicationKey}`).toString('base64')}` },
    });
    const { apiUrl, authorizationToken } = (await auth.json()) as { apiUrl: string; authorizationToken: string };
    const up = (await (
      await fetch(`${apiUrl}/b2api/v2/b2_get_upload_url`, {
        method: 'POST',
        headers: { authorization: authorizationToken },
        body: JSON.stringify({ bucketId: fake.bucketId }),
      })
    ).json()) as { uploadUrl: string; authorizationToken: string };
    const bad = await fetch(up.uploadUrl, {
      method: 'POST',
      headers: {
        authorization: up.authorizationToken,
        'x-bz-file-name': 'x/evil',
        'x-bz-content-sha1': 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
        'content-type': 'text/plain',
      },
      body: 'not empty',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad_request', message: 'Sha1 did not match data received' });
    expect(fake.names()).toEqual(['x/a', 'x/b', 'x/c']);
  });

  it('re-authorizes when the account token expires mid-session, and gets new upload URLs', async () => {
    fake = await startFakeB2();
    const retries: RetryEvent[] = [];
    const b = bucket(retries);
    await b.upload('x/1', Buffer.from('one'), 'text/plain');
    fake.expireTokens();
    // The kept upload URL's token fails (-> new URL), then getting one fails (-> re-authorize).
    await b.upload('x/2', Buffer.from('two'), 'text/plain');
    expect(retries.map((r) => [r.op, r.code])).toEqual([
      ['upload x/2', 'expired_auth_token'],
      ['upload x/2', 'expired_auth_token'],
    ]);
    expect(retries.every((r) => r.delayMs === 0)).toBe(true); // no backoff for a token
    expect(fake.calls).toMatchObject({ authorize: 2, get_upload_url: 3, upload: 3 }); // failed calls count
    fake.expireTokens();
    expect((await b.download('x/1'))?.toString()).toBe('one');
    expect(fake.calls.authorize).toBe(3);
    expect(fake.names()).toEqual(['x/1', 'x/2']);
  });

  it('on 503 from an upload, drops that URL and retries with a new one after a backoff', async () => {
    fake = await startFakeB2();
    const retries: RetryEvent[] = [];
    const b = bucket(retries);
    fake.fail('upload', 2, 503);
    await b.upload('x/busy', Buffer.from('data'), 'text/plain');
    expect(fake.calls).toMatchObject({ upload: 3, get_upload_url: 3 });
    expect(retries.map((r) => [r.status, r.code])).toEqual([
      [503, 'service_unavailable'],
      [503, 'service_unavailable'],
    ]);
    expect((await b.download('x/busy'))?.toString()).toBe('data');
  });

  it('waits as long as Retry-After asks on 429', async () => {
    fake = await startFakeB2();
    const retries: RetryEvent[] = [];
    const b = bucket(retries);
    await b.upload('x/1', Buffer.from('1'), 'text/plain');
    fake.fail('list_file_names', 1, 429, 0.2);
    const started = Date.now();
    expect(await b.list('x/')).toEqual(['x/1']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(retries).toMatchObject([{ status: 429, code: 'too_many_requests', delayMs: 200 }]);
  });

  it('gives up after the configured tries with an error that names the call, and writes nothing', async () => {
    fake = await startFakeB2();
    const b = bucket();
    fake.fail('upload', 10, 503);
    const err = await b.upload('x/never', Buffer.from('data'), 'text/plain').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B2CallError);
    expect((err as Error).message).toBe('B2 upload x/never failed with 503 service_unavailable: injected 503 (after 4 tries)');
    expect(fake.calls.upload).toBe(4);
    expect(fake.names()).toEqual([]);
  });

  it('does not retry what retrying cannot fix: a wrong key fails at once and says so', async () => {
    fake = await startFakeB2();
    const b = new B2Bucket({ ...fake, applicationKey: 'wrong' }, { retry: FAST });
    await expect(b.list('x/')).rejects.toThrow(/B2 list x\/ failed with 401 unauthorized: invalid application key id or key \(after 1 try\)/);
    expect(fake.calls.authorize).toBe(1);
  });

  it('retries when the server does not answer at all, then reports the network error', async () => {
    fake = await startFakeB2();
    const b = new B2Bucket({ ...fake, authorizeUrl: 'http://127.0.0.1:9/b2api/v2/b2_authorize_account' }, { retry: FAST });
    await expect(b.list('x/')).rejects.toThrow(/B2 list x\/ failed ECONNREFUSED: .* \(after 4 tries\)/);
  });

  it('keeps every name under the key prefix, and one store cannot see another’s', async () => {
    fake = await startFakeB2();
    const a = createB2ProjectStore({ ...fake, keyPrefix: '/tenant-a/', retry: FAST });
    const other = createB2ProjectStore({ ...fake, keyPrefix: 'tenant-b', retry: FAST });
    const { sha, body } = blob('hello');
    await a.putBlob(sha, body);
    await a.putMeta({ id: 'p1', uid: 'alice', name: 'P', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(fake.names()).toEqual([`tenant-a/blobs/${sha}`, 'tenant-a/projects/alice/p1/meta.json']);
    expect(await other.hasBlob(sha)).toBe(false);
    expect(await other.listMeta('alice')).toEqual([]);
    expect(normalizeKeyPrefix('')).toBe('');
    expect(normalizeKeyPrefix('//a/b//')).toBe('a/b/');
  });

  it('backs off exponentially, with jitter, capped', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 50; i++) {
      const d1 = backoff(policy, 1, null);
      const d4 = backoff(policy, 4, null);
      const d9 = backoff(policy, 9, null);
      expect(d1).toBeGreaterThanOrEqual(50);
      expect(d1).toBeLessThanOrEqual(100);
      expect(d4).toBeGreaterThanOrEqual(400);
      expect(d4).toBeLessThanOrEqual(800);
      expect(d9).toBeLessThanOrEqual(1000);
    }
    expect(backoff(policy, 1, 5000)).toBe(5000);
  });
});

/** The real API on STORAGE_DRIVER=b2 against a fresh local B2 server, as a signed-in user. */
async function apiOnB2(env: Record<string, string> = {}) {
  const fake = await startFakeB2();
  const api = await startTestApi({
    STORAGE_DRIVER: 'b2',
    B2_KEY_ID: fake.keyId,
    B2_APPLICATION_KEY: fake.applicationKey,
    B2_BUCKET_ID: fake.bucketId,
    B2_BUCKET_NAME: fake.bucketName,
    B2_AUTHORIZE_URL: fake.authorizeUrl,
    ...env,
  });
  const user = await emulatorUser();
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${api.url}${path}`, { method, headers: authed(user.idToken), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const close = async () => {
    await api.close();
    await fake.close();
  };
  return { fake, api, user, call, close };
}

describe('the API on STORAGE_DRIVER=b2 (local B2 API server)', () => {
  it('creates, saves and loads a project, with every object under the key prefix', async () => {
    const { fake, api, user, call, close } = await apiOnB2({ B2_KEY_PREFIX: 'prod' });
    try {
      const { uid } = user;
      const created = (await (await call('POST', '/api/projects', { name: 'On B2' })).json()) as {
        project: { id: string };
        version: string;
        files: Record<string, string>;
      };
      const id = created.project.id;
      const files = { ...created.files, 'src/App.tsx': `${created.files['src/App.tsx']}// saved to B2\n` };
      const saved = await call('PUT', `/api/projects/${id}/files`, { files, baseVersion: created.version });
      expect(saved.status).toBe(200);
      const loaded = (await (await call('GET', `/api/projects/${id}`)).json()) as { files: Record<string, string> };
      expect(loaded.files).toEqual(files);
      const names = fake.names();
      expect(names.every((n) => n.startsWith('prod/'))).toBe(true);
      expect(names.filter((n) => n.startsWith(`prod/projects/${uid}/${id}/versions/`))).toHaveLength(2);
      const health = (await (await fetch(`${api.url}/health/detailed`)).json()) as { checks: Record<string, { ok: boolean }> };
      expect(health.checks.storage?.ok).toBe(true);
    } finally {
      await close();
    }
  });
});

describe('a save while B2 keeps failing', () => {
  it('answers 503 saying nothing was saved, keeps the previous version, and a retry succeeds', async () => {
    const { fake, call, close } = await apiOnB2();
    try {
      const created = (await (await call('POST', '/api/projects', { name: 'Flaky', files: { 'a.ts': 'one\n' } })).json()) as {
        project: { id: string };
        version: string;
      };
      const id = created.project.id;
      const save = () => call('PUT', `/api/projects/${id}/files`, { files: { 'a.ts': 'two\n' }, baseVersion: created.version });

      fake.fail('upload', 5, 503); // every try of the driver's first upload
      const failed = await save();
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('5');
      expect(((await failed.json()) as { error: { message: string } }).error.message).toMatch(/nothing was saved/);
      const after = (await (await call('GET', `/api/projects/${id}`)).json()) as { version: string; files: Record<string, string> };
      expect(after).toMatchObject({ version: created.version, files: { 'a.ts': 'one\n' } });

      const retried = await save();
      expect(retried.status).toBe(200);
      expect(((await (await call('GET', `/api/projects/${id}`)).json()) as { files: Record<string, string> }).files['a.ts']).toBe('two\n');
    } finally {
      await close();
    }
  });
});
