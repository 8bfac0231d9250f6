import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { projectMetaSchema, versionManifestSchema, type ProjectMeta, type VersionManifest } from '@patchpad/shared';
import { pageNewestFirst, type BlobInfo, type Page, type ProjectStore } from '../store';
import { objectName, safeSegment } from './paths';

const BLOB_FILE = /^([a-f0-9]{64})\.gz$/;

/**
 * Local-folder driver. Every write goes to a temp file and is renamed into place, so a crash
 * never leaves half a file. Layout: `blobs/<sha[0:2]>/<sha>.gz`,
 * `projects/<uid>/<id>/{meta.json, versions/<version>.json}`.
 */
export function createFsProjectStore(root: string): ProjectStore {
  const blobPath = (sha: string) => join(root, 'blobs', sha.slice(0, 2), `${sha}.gz`);
  const projectDir = (uid: string, id: string) => join(root, 'projects', safeSegment(uid), safeSegment(id));

  async function atomicWrite(path: string, data: Buffer | string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async function readJson<T>(path: string, parse: (v: unknown) => T): Promise<T | null> {
    try {
      return parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async function listDir(path: string): Promise<string[]> {
    try {
      return (await readdir(path)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  const parseMeta = (v: unknown) => projectMetaSchema.parse(v);
  const parseManifest = (v: unknown) => versionManifestSchema.parse(v) as VersionManifest;

  /**
   * Walks `projects/<user>/<project>` in name order from the cursor "<user>/<project>[/<leaf>]",
   * collecting up to `limit` items from each project's leaves; `next` is the last item's key.
   */
  async function scan<T>(after: string | undefined, limit: number, leaves: (dir: string) => Promise<[string, () => Promise<T | null>][]>): Promise<Page<T>> {
    const items: T[] = [];
    let last = '';
    const usersDir = join(root, 'projects');
    for (const user of await listDir(usersDir)) {
      if (after !== undefined && user < after.split('/')[0]!) continue;
      for (const project of await listDir(join(usersDir, user))) {
        const base = `${user}/${project}`;
        if (after !== undefined && `${base}/\uffff` <= after) continue;
        for (const [leaf, read] of await leaves(join(usersDir, user, project))) {
          const key = leaf === '' ? base : `${base}/${leaf}`;
          if (after !== undefined && key <= after) continue;
          const item = await read();
          if (item === null) continue;
          if (items.length === limit) return { items, next: last };
          items.push(item);
          last = key;
        }
      }
    }
    return { items, next: null };
  }

  return {
    driver: 'fs',
    async hasBlob(sha) {
      return stat(blobPath(sha)).then(
        () => true,
        () => false,
      );
    },
    putBlob: (sha, data) => atomicWrite(blobPath(sha), data),
    getBlob: (sha) => readFile(blobPath(sha)),
    deleteBlob: (sha) => rm(blobPath(sha), { force: true }),
    async listBlobs({ after, limit }) {
      const items: BlobInfo[] = [];
      for (const dir of await listDir(join(root, 'blobs'))) {
        if (after !== undefined && dir < after.slice(0, 2)) continue;
        for (const name of await listDir(join(root, 'blobs', dir))) {
          const sha = BLOB_FILE.exec(name)?.[1];
          if (!sha || (after !== undefined && sha <= after)) continue;
          const info = await stat(join(root, 'blobs', dir, name)).catch(() => null);
          if (!info) continue; // deleted meanwhile
          if (items.length === limit) return { items, next: items.at(-1)!.sha256 };
          // Whole ms like Date.now(): a fractional mtime from earlier in the same millisecond
          // would read as later than a collection that started after it.
          items.push({ sha256: sha, storedAt: Math.floor(info.mtimeMs) });
        }
      }
      return { items, next: null };
    },
    putMeta: (meta) => atomicWrite(join(projectDir(meta.uid, meta.id), 'meta.json'), JSON.stringify(meta, null, 2)),
    getMeta: (uid, id) => readJson(join(projectDir(uid, id), 'meta.json'), parseMeta),
    async listMeta(uid) {
      const ids = await listDir(join(root, 'projects', safeSegment(uid)));
      const metas = await Promise.all(ids.map((id) => readJson(join(root, 'projects', safeSegment(uid), id, 'meta.json'), parseMeta)));
      return metas.filter((m): m is ProjectMeta => m !== null);
    },
    putManifest: (uid, manifest) =>
      atomicWrite(join(projectDir(uid, manifest.projectId), 'versions', `${safeSegment(manifest.id)}.json`), JSON.stringify(manifest)),
    getManifest: (uid, id, version) => readJson(join(projectDir(uid, id), 'versions', `${safeSegment(version)}.json`), parseManifest),
    async listVersions(uid, id, page) {
      const names = await listDir(join(projectDir(uid, id), 'versions'));
      return pageNewestFirst(
        names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)),
        page,
      );
    },
    async deleteProject(uid, id) {
      const dir = projectDir(uid, id);
      await rm(join(dir, 'versions'), { recursive: true, force: true });
      await rm(join(dir, 'meta.json'), { force: true });
      await rm(dir, { recursive: true, force: true });
    },
    scanProjects: ({ after, limit }) => scan(after, limit, async (dir) => [['', () => readJson(join(dir, 'meta.json'), parseMeta)]]),
    scanManifests: ({ after, limit }) =>
      scan(after, limit, async (dir) =>
        (await listDir(join(dir, 'versions')))
          .filter((n) => n.endsWith('.json'))
          .map((n): [string, () => Promise<VersionManifest | null>] => [n, () => readJson(join(dir, 'versions', n), parseManifest)]),
      ),
    async putObject(name, data) {
      await atomicWrite(join(root, 'objects', objectName(name)), data);
    },
    async getObject(name) {
      try {
        return await readFile(join(root, 'objects', objectName(name)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async listObjects(prefix) {
      const dir = objectName(prefix).replace(/\/$/, '');
      const names = await listDir(join(root, 'objects', dir));
      return names
        .filter((n) => !n.endsWith('.tmp'))
        .map((n) => `${dir}/${n}`)
        .sort();
    },
    async ping() {
      await mkdir(root, { recursive: true });
    },
  };
}
