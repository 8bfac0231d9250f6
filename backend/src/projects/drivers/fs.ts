import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { projectMetaSchema, versionManifestSchema, type ProjectMeta, type VersionManifest } from '@patchpad/shared';
import type { ProjectStore } from '../store';
import { objectName, safeSegment } from './paths';

/** Local-folder driver. Every write goes to a temp file and is renamed into place, so a crash never leaves half a file. */
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
      return await readdir(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
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
    putMeta: (meta) => atomicWrite(join(projectDir(meta.uid, meta.id), 'meta.json'), JSON.stringify(meta, null, 2)),
    getMeta: (uid, id) => readJson(join(projectDir(uid, id), 'meta.json'), (v) => projectMetaSchema.parse(v)),
    async listMeta(uid) {
      const ids = await listDir(join(root, 'projects', safeSegment(uid)));
      const metas = await Promise.all(ids.map((id) => readJson(join(root, 'projects', safeSegment(uid), id, 'meta.json'), (v) => projectMetaSchema.parse(v))));
      return metas.filter((m): m is ProjectMeta => m !== null);
    },
    putManifest: (uid, manifest) => atomicWrite(join(projectDir(uid, manifest.projectId), 'versions', `${manifest.id}.json`), JSON.stringify(manifest)),
    getManifest: (uid, id, version) =>
      readJson(join(projectDir(uid, id), 'versions', `${safeSegment(version)}.json`), (v) => versionManifestSchema.parse(v) as VersionManifest),
    async listVersions(uid, id) {
      const names = await listDir(join(projectDir(uid, id), 'versions'));
      return names
        .filter((n) => n.endsWith('.json'))
        .map((n) => n.slice(0, -'.json'.length))
        .sort()
        .reverse();
    },
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
