import { projectMetaSchema, versionManifestSchema, type ProjectMeta, type VersionManifest } from '@patchpad/shared';
import type { ProjectStore } from '../store';
import { B2Bucket, type B2ClientOptions, type B2Credentials } from './b2-client';
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
 * B2Bucket.
 */
export function createB2ProjectStore(options: B2StoreOptions): ProjectStore {
  const bucket = new B2Bucket(options, options);
  const root = normalizeKeyPrefix(options.keyPrefix);

  const blobName = (sha: string) => `${root}blobs/${safeSegment(sha)}`;
  const userPrefix = (uid: string) => `${root}projects/${safeSegment(uid)}/`;
  const projectPrefix = (uid: string, id: string) => `${userPrefix(uid)}${safeSegment(id)}/`;
  const putJson = (name: string, value: unknown) => bucket.upload(name, Buffer.from(JSON.stringify(value)), 'application/json');
  const getJson = async <T>(name: string, parse: (v: unknown) => T): Promise<T | null> => {
    const buf = await bucket.download(name);
    return buf ? parse(JSON.parse(buf.toString('utf8'))) : null;
  };

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
    putMeta: (meta) => putJson(`${projectPrefix(meta.uid, meta.id)}meta.json`, meta),
    getMeta: (uid, id) => getJson(`${projectPrefix(uid, id)}meta.json`, (v) => projectMetaSchema.parse(v)),
    async listMeta(uid) {
      const folders = await bucket.list(userPrefix(uid), '/');
      const metas = await Promise.all(folders.filter((f) => f.endsWith('/')).map((f) => getJson(`${f}meta.json`, (v) => projectMetaSchema.parse(v))));
      return metas.filter((m): m is ProjectMeta => m !== null);
    },
    putManifest: (uid, m) => putJson(`${projectPrefix(uid, m.projectId)}versions/${safeSegment(m.id)}.json`, m),
    getManifest: (uid, id, version) =>
      getJson(`${projectPrefix(uid, id)}versions/${safeSegment(version)}.json`, (v) => versionManifestSchema.parse(v) as VersionManifest),
    async listVersions(uid, id) {
      const prefix = `${projectPrefix(uid, id)}versions/`;
      return (await bucket.list(prefix))
        .filter((n) => n.endsWith('.json'))
        .map((n) => n.slice(prefix.length, -'.json'.length))
        .sort()
        .reverse();
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
