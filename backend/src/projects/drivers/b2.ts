import { createRequire } from 'node:module';
import { projectMetaSchema, versionManifestSchema, type ProjectMeta, type VersionManifest } from '@patchpad/shared';
import type { ProjectStore } from '../store';
import { safeSegment } from './paths';

const require = createRequire(import.meta.url);

export type B2Options = { keyId: string; applicationKey: string; bucketId: string; bucketName: string };

type B2Client = {
  authorize(): Promise<unknown>;
  getUploadUrl(args: { bucketId: string }): Promise<{ data: { uploadUrl: string; authorizationToken: string } }>;
  uploadFile(args: { uploadUrl: string; uploadAuthToken: string; fileName: string; data: Buffer; mime?: string }): Promise<unknown>;
  downloadFileByName(args: { bucketName: string; fileName: string; responseType: 'arraybuffer' }): Promise<{ data: ArrayBuffer }>;
  listFileNames(args: { bucketId: string; prefix: string; startFileName?: string; maxFileCount: number; delimiter?: string }): Promise<{
    data: { files: { fileName: string }[]; nextFileName: string | null };
  }>;
};

/**
 * Backblaze B2 driver, same layout as the fs driver. B2 authorisations expire after 24 h
 * and upload URLs can be revoked, so every call re-authorises once on a 401.
 * Not yet exercised against B2 from this repository's CI (no network here).
 */
export function createB2ProjectStore(options: B2Options): ProjectStore {
  const B2 = require('backblaze-b2') as new (o: { applicationKeyId: string; applicationKey: string }) => B2Client;
  const b2 = new B2({ applicationKeyId: options.keyId, applicationKey: options.applicationKey });
  let authorized: Promise<unknown> | null = null;

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    authorized ??= b2.authorize();
    await authorized;
    try {
      return await fn();
    } catch (err) {
      if ((err as { response?: { status?: number } }).response?.status !== 401) throw err;
      authorized = b2.authorize();
      await authorized;
      return fn();
    }
  }

  async function put(fileName: string, data: Buffer, mime: string): Promise<void> {
    await call(async () => {
      const { data: upload } = await b2.getUploadUrl({ bucketId: options.bucketId });
      await b2.uploadFile({ uploadUrl: upload.uploadUrl, uploadAuthToken: upload.authorizationToken, fileName, data, mime });
    });
  }

  async function get(fileName: string): Promise<Buffer | null> {
    try {
      const res = await call(() => b2.downloadFileByName({ bucketName: options.bucketName, fileName, responseType: 'arraybuffer' }));
      return Buffer.from(res.data);
    } catch (err) {
      if ((err as { response?: { status?: number } }).response?.status === 404) return null;
      throw err;
    }
  }

  async function list(prefix: string, delimiter?: string): Promise<string[]> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const args = { bucketId: options.bucketId, prefix, maxFileCount: 1000, ...(start ? { startFileName: start } : {}), ...(delimiter ? { delimiter } : {}) };
      const { data } = await call(() => b2.listFileNames(args));
      names.push(...data.files.map((f) => f.fileName));
      start = data.nextFileName ?? undefined;
    } while (start);
    return names;
  }

  const blobName = (sha: string) => `blobs/${sha}`;
  const projectPrefix = (uid: string, id: string) => `projects/${safeSegment(uid)}/${safeSegment(id)}/`;
  const json = async <T>(name: string, parse: (v: unknown) => T) => {
    const buf = await get(name);
    return buf ? parse(JSON.parse(buf.toString('utf8'))) : null;
  };

  return {
    driver: 'b2',
    async hasBlob(sha) {
      return (await list(blobName(sha))).includes(blobName(sha));
    },
    putBlob: (sha, data) => put(blobName(sha), data, 'application/gzip'),
    async getBlob(sha) {
      const buf = await get(blobName(sha));
      if (!buf) throw new Error(`blob ${sha} is missing from the bucket`);
      return buf;
    },
    putMeta: (meta) => put(`${projectPrefix(meta.uid, meta.id)}meta.json`, Buffer.from(JSON.stringify(meta)), 'application/json'),
    getMeta: (uid, id) => json(`${projectPrefix(uid, id)}meta.json`, (v) => projectMetaSchema.parse(v)),
    async listMeta(uid) {
      const folders = await list(`projects/${safeSegment(uid)}/`, '/');
      const metas = await Promise.all(folders.map((f) => json(`${f}meta.json`, (v) => projectMetaSchema.parse(v))));
      return metas.filter((m): m is ProjectMeta => m !== null);
    },
    putManifest: (uid, m) => put(`${projectPrefix(uid, m.projectId)}versions/${m.id}.json`, Buffer.from(JSON.stringify(m)), 'application/json'),
    getManifest: (uid, id, version) =>
      json(`${projectPrefix(uid, id)}versions/${safeSegment(version)}.json`, (v) => versionManifestSchema.parse(v) as VersionManifest),
    async listVersions(uid, id) {
      const prefix = `${projectPrefix(uid, id)}versions/`;
      return (await list(prefix))
        .map((n) => n.slice(prefix.length, -'.json'.length))
        .sort()
        .reverse();
    },
    async ping() {
      await call(() => b2.listFileNames({ bucketId: options.bucketId, prefix: 'projects/', maxFileCount: 1 }));
    },
  };
}
