import { createHash, randomBytes } from 'node:crypto';
import {
  PROJECT_TEMPLATES,
  type CreateProjectBody,
  type ProjectFiles,
  type ProjectMeta,
  type ProjectSnapshot,
  type SaveProjectResponse,
  type TrashedProject,
  type VersionPage,
} from '@patchpad/shared';
import { AppError } from '../http/errors';
import { recordDone } from './audit';
import { activeMeta, commitVersion, hashesOf, type Actor, type NewVersion, type ProjectDeps, type RequestCtx } from './commit';
import { describeFiles } from './content';
import { loadVersion, restoreVersion, versionPage } from './history';
import { saveProject, type SaveInput } from './saving';
import { purgeAt } from './trash';
import { zipProject } from './archive';

export type { ProjectDeps } from './commit';
export type Created = { snapshot: ProjectSnapshot; created: boolean };
type CreateOptions = { idempotencyKey?: string | undefined; message?: string };
type Content = Omit<NewVersion, 'fields'>;

function fresh(files: ProjectFiles): Content {
  const { entries, contents } = describeFiles(files);
  return { files: entries, contents, stored: new Set() };
}

/**
 * Projects over a content-addressed store: many per user, owner only (another user's id is a
 * 404), with history, soft delete and the trash. Every change runs under the project's lock
 * and is audited after it took effect, retry-safe (see audit.ts).
 */
export class ProjectService {
  constructor(private readonly deps: ProjectDeps) {}

  async list(uid: string): Promise<ProjectMeta[]> {
    const metas = await this.deps.store.listMeta(uid);
    return metas.filter((m) => !m.deletedAt).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async trash(uid: string): Promise<TrashedProject[]> {
    const metas = await this.deps.store.listMeta(uid);
    return metas
      .filter((m): m is ProjectMeta & { deletedAt: string } => m.deletedAt !== undefined)
      .map((m) => ({ ...m, purgeAt: purgeAt(m.deletedAt) }))
      .sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
  }

  /**
   * A new project from files, a template, or the default template. With an idempotency key
   * the project id comes from it, so a retried create finds the project it made.
   */
  async create(user: Actor, body: CreateProjectBody, options: CreateOptions, ctx: RequestCtx): Promise<Created> {
    const template = body.files ? undefined : PROJECT_TEMPLATES[body.template ?? 'react-ts'];
    const files = body.files ?? { ...template!.files };
    const message = options.message ?? (template ? `Created from the ${template.name} template` : 'Created');
    return this.createWith(user, { name: body.name, ...(template ? { template: template.id } : {}) }, fresh(files), { ...options, message }, ctx);
  }

  private async createWith(
    user: Actor,
    fields: Pick<ProjectMeta, 'name' | 'template'>,
    content: Content,
    options: CreateOptions,
    ctx: RequestCtx,
  ): Promise<Created> {
    const id = options.idempotencyKey
      ? createHash('sha256').update(`${user.uid}\n${options.idempotencyKey}`).digest('base64url').slice(0, 18)
      : randomBytes(9).toString('base64url');
    const result = await this.deps.lock.run(user.uid, id, async () => {
      const existing = await this.deps.store.getMeta(user.uid, id);
      if (existing?.latestVersion) return { created: false, meta: existing };
      const now = new Date().toISOString();
      const meta: ProjectMeta = existing ?? { id, uid: user.uid, ...fields, createdAt: now, updatedAt: now };
      await this.deps.store.putMeta(meta);
      const { project } = await commitVersion(this.deps, meta, user, { ...content, fields: { message: options.message } });
      return { created: true, meta: project };
    });
    await recordDone(
      this.deps.audit,
      {
        action: 'project.create',
        uid: user.uid,
        target: id,
        requestId: ctx.requestId,
        eventId: `project.create:${id}:${result.meta.createdAt}`,
        details: { name: result.meta.name },
      },
      `Project ${id} was created`,
      ctx.log,
    );
    return { snapshot: await loadVersion(this.deps, user.uid, id), created: result.created };
  }

  /** A project made from imported files (a zip read by archive.ts, or a folder the browser read). */
  importFiles(user: Actor, name: string, files: ProjectFiles, options: CreateOptions, ctx: RequestCtx): Promise<Created> {
    return this.createWith(user, { name }, fresh(files), { ...options, message: options.message ?? 'Imported' }, ctx);
  }

  /** The project is the user's and not in the trash. */
  async exists(uid: string, projectId: string): Promise<boolean> {
    const meta = await this.deps.store.getMeta(uid, projectId);
    return meta !== null && !meta.deletedAt;
  }

  load(uid: string, projectId: string, versionId?: string): Promise<ProjectSnapshot> {
    return loadVersion(this.deps, uid, projectId, versionId);
  }

  save(user: Actor, projectId: string, input: SaveInput, ctx: RequestCtx): Promise<SaveProjectResponse> {
    return saveProject(this.deps, user, projectId, input, ctx);
  }

  versions(uid: string, projectId: string, page: { before?: string | undefined; limit: number }): Promise<VersionPage> {
    return versionPage(this.deps, uid, projectId, page);
  }

  restoreVersion(user: Actor, projectId: string, versionId: string, ctx: RequestCtx): Promise<ProjectSnapshot> {
    return restoreVersion(this.deps, user, projectId, versionId, ctx);
  }

  async rename(user: Actor, projectId: string, name: string, ctx: RequestCtx): Promise<ProjectMeta> {
    const meta = await this.deps.lock.run(user.uid, projectId, async () => {
      const current = await activeMeta(this.deps.store, user.uid, projectId);
      if (current.name === name) return current;
      const next = { ...current, name, updatedAt: new Date().toISOString() };
      await this.deps.store.putMeta(next);
      return next;
    });
    const eventId = `project.rename:${projectId}:${meta.updatedAt}`;
    await recordDone(
      this.deps.audit,
      { action: 'project.rename', uid: user.uid, target: projectId, requestId: ctx.requestId, eventId, details: { name } },
      'The project was renamed',
      ctx.log,
    );
    return meta;
  }

  /** A new project holding the latest files of another; shares its blobs, so nothing is uploaded. */
  async duplicate(user: Actor, projectId: string, name: string | undefined, options: CreateOptions, ctx: RequestCtx): Promise<Created> {
    const source = await activeMeta(this.deps.store, user.uid, projectId);
    const manifest = source.latestVersion ? await this.deps.store.getManifest(user.uid, projectId, source.latestVersion) : null;
    if (!manifest) throw AppError.notFound(`A saved version of project ${projectId}`);
    const copyName = name ?? `${source.name} (copy)`.slice(0, 120);
    const content: Content = { files: manifest.files, contents: new Map(), stored: hashesOf(manifest) };
    return this.createWith(
      user,
      { name: copyName, ...(source.template ? { template: source.template } : {}) },
      content,
      { ...options, message: `Duplicated from ${source.name}` },
      ctx,
    );
  }

  /** Moves the project to the trash (purged after TRASH_RETENTION_DAYS unless restored). */
  async remove(user: Actor, projectId: string, ctx: RequestCtx): Promise<TrashedProject> {
    const meta = await this.deps.lock.run(user.uid, projectId, async () => {
      const current = await this.deps.store.getMeta(user.uid, projectId);
      if (!current) throw AppError.notFound(`Project ${projectId}`);
      if (current.deletedAt) return { ...current, deletedAt: current.deletedAt };
      const next = { ...current, deletedAt: new Date().toISOString() };
      await this.deps.store.putMeta(next);
      return next;
    });
    const eventId = `project.delete:${projectId}:${meta.deletedAt}`;
    await recordDone(
      this.deps.audit,
      { action: 'project.delete', uid: user.uid, target: projectId, requestId: ctx.requestId, eventId },
      'The project was moved to the trash',
      ctx.log,
    );
    return { ...meta, purgeAt: purgeAt(meta.deletedAt) };
  }

  /** Takes a project out of the trash. */
  async restore(user: Actor, projectId: string, ctx: RequestCtx): Promise<ProjectMeta> {
    const { meta, deletedAt } = await this.deps.lock.run(user.uid, projectId, async () => {
      const current = await this.deps.store.getMeta(user.uid, projectId);
      if (!current) throw AppError.notFound(`Project ${projectId}`);
      if (!current.deletedAt) return { meta: current, deletedAt: 'not-deleted' };
      const { deletedAt: was, ...rest } = current;
      const next: ProjectMeta = { ...rest, updatedAt: new Date().toISOString() };
      await this.deps.store.putMeta(next);
      return { meta: next, deletedAt: was };
    });
    const eventId = `project.restore:${projectId}:${deletedAt}`;
    await recordDone(
      this.deps.audit,
      { action: 'project.restore', uid: user.uid, target: projectId, requestId: ctx.requestId, eventId },
      'The project was restored',
      ctx.log,
    );
    return meta;
  }

  /** Deletes a project in the trash for good, now (the user's "delete forever"). */
  async purge(user: Actor, projectId: string, ctx: RequestCtx): Promise<void> {
    await this.deps.lock.run(user.uid, projectId, async () => {
      const current = await this.deps.store.getMeta(user.uid, projectId);
      if (!current) throw AppError.notFound(`Project ${projectId}`);
      if (!current.deletedAt) throw AppError.conflict(`Project ${projectId} is not in the trash; delete it first`);
      // Audit first (idempotent): a failed delete is retried, and the log keeps one entry.
      const eventId = `project.purge:${projectId}:${current.deletedAt}`;
      await recordDone(
        this.deps.audit,
        { action: 'project.purge', uid: user.uid, target: projectId, requestId: ctx.requestId, eventId },
        'Nothing was deleted yet',
        ctx.log,
      );
      await this.deps.store.deleteProject(user.uid, projectId);
    });
  }

  async exportZip(uid: string, projectId: string, versionId?: string): Promise<{ name: string; version: string; zip: Buffer }> {
    const snapshot = await loadVersion(this.deps, uid, projectId, versionId);
    const manifest = await this.deps.store.getManifest(uid, projectId, snapshot.version);
    return { name: snapshot.project.name, version: snapshot.version, zip: zipProject(snapshot.files, new Date(manifest!.createdAt)) };
  }
}
