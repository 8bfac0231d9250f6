import { projectMetaSchema, versionManifestSchema, type ProjectMeta, type VersionManifest } from '@patchpad/shared';
import { pageNewestFirst, type BlobInfo, type Page, type ProjectStore } from '../store';
import { B2Bucket, type B2ClientOptions, type B2Credentials, type B2File } from './b2-client';
import { objectName, safeSegment } from './paths';

export interface B2StoreOptions extends B2Credentials, B2ClientOptions {
  /** Prepended to every file name, so that one bucket can hold several deployments. */
  keyPrefix?: string;
}

/** `a/b` → `a/b/`, `/x/` → `x/`, '' → '': names in B2 never start with a slash. */
export function normalizeKeyPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/**
 * Backblaze B2 driver, same layout as the fs driver under an optional key prefix:
 * `blobs/<sha256>`, `projects/<uid>/<id>/meta.json`, `projects/<uid>/<id>/versions/<v>.json`.
 * Each upload is atomic in B2 (a name shows its new content only once the upload is complete),
 * so a failed save never leaves a half-written manifest. Retries and re-authorisation live in
 * B2Bucket. Deletions remove every version B2 keeps of a name.
 */
export function createB2ProjectStore(options: B2StoreOptions): ProjectStore {
  const bucket = new B2Bucket(options, options);
  const root = normalizeKeyPrefix(options.keyPrefix);

  const blobsPrefix = `${root}blobs/`;
  const projectsPrefix = `${root}projects/`;
  const blobName = (sha: string) => `${blobsPrefix}${safeSegment(sha)}`;
  const userPrefix = (uid: string) => `${projectsPrefix}${safeSegment(uid)}/`;
  const projectPrefix = (uid: string, id: string) => `${userPrefix(uid)}${safeSegment(id)}/`;
  const putJson = (name: string, value: unknown) => bucket.upload(name, Buffer.from(JSON.stringify(value)), 'application/json');
  const getJson = async <T>(name: string, parse: (v: unknown) => T): Promise<T | null> => {
    const buf = await bucket.download(name);
    return buf ? parse(JSON.parse(buf.toString('utf8'))) : null;
  };
  const parseMeta = (v: unknown) => projectMetaSchema.parse(v);
  const parseManifest = (v: unknown) => versionManifestSchema.parse(v) as VersionManifest;

  /**
   * Up to `limit` names under `prefix` after the name `after` that `want` keeps, paging through
   * B2 (which may answer with fewer names than asked); `next` is the last name returned.
   */
  async function collect(prefix: string, after: string | undefined, limit: number, want: (f: B2File) => boolean): Promise<Page<B2File>> {
    const items: B2File[] = [];
    let start: string | null = after ?? null;
    for (;;) {
      const page = await bucket.listPage(prefix, { start, max: Math.min(1000, limit + 1) });
      for (const f of page.files) {
        if ((after !== undefined && f.fileName <= after) || !want(f)) continue;
        if (items.length === limit) return { items, next: items.at(-1)!.fileName };
        items.push(f);
      }
      if (page.next === null) return { items, next: null };
      start = page.next;
    }
  }

  async function readAll<T extends object>(page: Page<B2File>, read: (name: string) => Promise<T | null>): Promise<Page<T>> {
    const items: (T | null)[] = await Promise.all(page.items.map((f) => read(f.fileName)));
    return { items: items.filter((i): i is T => i !== null), next: page.next };
  }

  return {
    driver: 'b2',
    async hasBlob(sha) {
      return (await bucket.list(blobName(sha))).includes(blobName(sha));
    },
    putBlob: (sha, data) => bucket.upload(blobName(sha), data, 'application/gzip'),
    async getBlob(sha) {
      const buf = await bucket.download(blobName(sha));
      if (!buf) throw new Error(`blob ${sha} is missing from the bucket`);
      return buf;
    },
    deleteBlob: (sha) => bucket.deleteAll(blobName(sha)),
    async listBlobs({ after, limit }) {
      const page = await collect(blobsPrefix, after === undefined ? undefined : blobName(after), limit, () => true);
      const items: BlobInfo[] = page.items.map((f) => ({ sha256: f.fileName.slice(blobsPrefix.length), storedAt: f.uploadTimestamp }));
      return { items, next: page.next === null ? null : page.next.slice(blobsPrefix.length) };
    },
    putMeta: (meta) => putJson(`${projectPrefix(meta.uid, meta.id)}meta.json`, meta),
    getMeta: (uid, id) => getJson(`${projectPrefix(uid, id)}meta.json`, parseMeta),
    async listMeta(uid) {
      const folders = await bucket.list(userPrefix(uid), '/');
      const metas = await Promise.all(folders.filter((f) => f.endsWith('/')).map((f) => getJson(`${f}meta.json`, parseMeta)));
      return metas.filter((m): m is ProjectMeta => m !== null);
    },
    putManifest: (uid, m) => putJson(`${projectPrefix(uid, m.projectId)}versions/${safeSegment(m.id)}.json`, m),
    getManifest: (uid, id, version) => getJson(`${projectPrefix(uid, id)}versions/${safeSegment(version)}.json`, parseManifest),
    async listVersions(uid, id, page) {
      // B2 lists names oldest first only; the names are small, so newest-first pages cut the whole list.
      const prefix = `${projectPrefix(uid, id)}versions/`;
      const names = (await bucket.list(prefix)).filter((n) => n.endsWith('.json'));
      return pageNewestFirst(
        names.map((n) => n.slice(prefix.length, -'.json'.length)),
        page,
      );
    },
    async deleteProject(uid, id) {
      const names = await bucket.list(projectPrefix(uid, id));
      const meta = `${projectPrefix(uid, id)}meta.json`;
      for (const name of names.filter((n) => n !== meta)) await bucket.deleteAll(name);
      await bucket.deleteAll(meta);
    },
    async scanProjects({ after, limit }) {
      return readAll(await collect(projectsPrefix, after, limit, (f) => f.fileName.endsWith('/meta.json')), (name) => getJson(name, parseMeta));
    },
    async scanManifests({ after, limit }) {
      return readAll(await collect(projectsPrefix, after, limit, (f) => /\/versions\/[^/]+\.json$/.test(f.fileName)), (name) => getJson(name, parseManifest));
    },
    async putObject(name, data) {
      await bucket.upload(`${root}objects/${objectName(name)}`, data, 'application/octet-stream');
    },
    async getObject(name) {
      return bucket.download(`${root}objects/${objectName(name)}`);
    },
    async listObjects(prefix) {
      const base = `${root}objects/`;
      return (await bucket.list(`${base}${objectName(prefix)}`, '/'))
        .filter((n) => !n.endsWith('/'))
        .map((n) => n.slice(base.length))
        .sort();
    },
    async ping() {
      await bucket.list(`${root}projects/`, '/');
    },
  };
}
