import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { STARTER_FILES, type ProjectFiles, type ProjectMeta, type ProjectSnapshot, type VersionManifest, type VersionSummary } from '@patchpad/shared';
import { AppError } from '../http/errors';
import type { ProjectLock } from './save-lock';
import type { ProjectStore } from './store';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Sortable, unique version ids: time first so listing sorts newest-last lexically. */
function newVersionId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** Projects over a content-addressed store: save uploads only blobs the store lacks. */
export class ProjectService {
  constructor(
    private readonly store: ProjectStore,
    private readonly lock: ProjectLock,
  ) {}

  async list(uid: string): Promise<ProjectMeta[]> {
    const metas = await this.store.listMeta(uid);
    return metas.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async create(uid: string, name: string, files?: ProjectFiles): Promise<ProjectSnapshot> {
    const now = new Date().toISOString();
    const meta: ProjectMeta = { id: randomBytes(9).toString('base64url'), uid, name, createdAt: now, updatedAt: now };
    await this.store.putMeta(meta);
    return this.save(uid, meta.id, files ?? { ...STARTER_FILES }, { message: 'Created' });
  }

  async load(uid: string, projectId: string, versionId?: string): Promise<ProjectSnapshot> {
    const meta = await this.meta(uid, projectId);
    const version = versionId ?? meta.latestVersion;
    if (!version) throw AppError.notFound(`A saved version of project ${projectId}`);
    const manifest = await this.store.getManifest(uid, projectId, version);
    if (!manifest) throw AppError.notFound(`Version ${version} of project ${projectId}`);
    const entries = Object.entries(manifest.files);
    const bodies = await Promise.all(entries.map(async ([, e]) => (await gunzipAsync(await this.store.getBlob(e.sha256))).toString('utf8')));
    const files: ProjectFiles = {};
    entries.forEach(([path], i) => (files[path] = bodies[i]!));
    return { project: meta, version, files };
  }

  /** One save at a time per project (see ProjectLock); a stale base version gets 409. */
  save(uid: string, projectId: string, files: ProjectFiles, options: { baseVersion?: string; message?: string } = {}): Promise<ProjectSnapshot> {
    return this.lock.run(uid, projectId, () => this.saveLocked(uid, projectId, files, options));
  }

  private async saveLocked(uid: string, projectId: string, files: ProjectFiles, options: { baseVersion?: string; message?: string }): Promise<ProjectSnapshot> {
    const meta = await this.meta(uid, projectId);
    if (options.baseVersion !== undefined && meta.latestVersion !== undefined && options.baseVersion !== meta.latestVersion) {
      throw AppError.conflict(`Project changed since version ${options.baseVersion} (now ${meta.latestVersion}); reload before saving`, {
        latestVersion: meta.latestVersion,
      });
    }
    const manifest: VersionManifest = { id: newVersionId(), projectId, createdAt: new Date().toISOString(), files: {} };
    if (options.message) manifest.message = options.message;
    // Blobs first, manifest second, meta last: a crash part-way leaves only unreferenced blobs.
    await Promise.all(
      Object.entries(files).map(async ([path, content]) => {
        const hash = sha256(content);
        manifest.files[path] = { sha256: hash, size: Buffer.byteLength(content) };
        if (!(await this.store.hasBlob(hash))) await this.store.putBlob(hash, await gzipAsync(content));
      }),
    );
    await this.store.putManifest(uid, manifest);
    const next: ProjectMeta = { ...meta, latestVersion: manifest.id, updatedAt: manifest.createdAt };
    await this.store.putMeta(next);
    return { project: next, version: manifest.id, files };
  }

  async versions(uid: string, projectId: string): Promise<VersionSummary[]> {
    await this.meta(uid, projectId);
    const ids = await this.store.listVersions(uid, projectId);
    const manifests = await Promise.all(ids.slice(0, 100).map((id) => this.store.getManifest(uid, projectId, id)));
    return manifests
      .filter((m): m is VersionManifest => m !== null)
      .map((m) => {
        const summary: VersionSummary = {
          id: m.id,
          createdAt: m.createdAt,
          fileCount: Object.keys(m.files).length,
          bytes: Object.values(m.files).reduce((n, e) => n + e.size, 0),
        };
        if (m.message) summary.message = m.message;
        return summary;
      });
  }

  private async meta(uid: string, projectId: string): Promise<ProjectMeta> {
    const meta = await this.store.getMeta(uid, projectId);
    if (!meta) throw AppError.notFound(`Project ${projectId}`);
    return meta;
  }
}
