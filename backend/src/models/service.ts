import { modelEntrySchema, type AdminModel, type CreateModelBody, type ModelEntry, type ModelTestResult, type PatchModelBody } from '@patchpad/shared';
import type { z } from 'zod';
import { AppError, validationError } from '../http/errors';
import type { AuditLog } from '../audit/log';
import type { ModelCatalog } from './catalog';
import { ModelChangedError, ModelExistsError, ModelMissingError, type ModelStore } from './store';

export type Actor = { uid: string; requestId: string };
/** Runs a tiny completion against one entry (the gateway provides it). */
export type ModelTester = (entry: ModelEntry) => Promise<ModelTestResult>;
export type AdminModelView = AdminModel;

/** Admin operations on the registry: validated, written atomically, audited, seen by every process. */
export class ModelService {
  constructor(private readonly deps: { store: ModelStore; catalog: ModelCatalog; audit: AuditLog; tester: ModelTester; env?: NodeJS.ProcessEnv }) {}

  list(): AdminModelView[] {
    return this.deps.catalog.all().map((m) => this.view(m));
  }

  get(id: string): AdminModelView {
    const entry = this.deps.catalog.resolve(id);
    if (!entry) throw AppError.notFound(`Model "${id}"`);
    return this.view(entry);
  }

  async create(body: CreateModelBody, actor: Actor): Promise<AdminModelView> {
    this.checkFallbacks(body.id, body.fallbacks);
    const now = new Date().toISOString();
    const entry = this.validEntry({ ...body, source: 'admin', createdAt: now, updatedAt: now });
    try {
      await this.deps.store.create(entry);
    } catch (err) {
      if (err instanceof ModelExistsError) throw AppError.conflict(`Model "${entry.id}" exists already; change it with PATCH /api/admin/models/${entry.id}`);
      throw err;
    }
    await this.changed('model.create', entry.id, actor, { provider: entry.provider, baseUrl: entry.baseUrl, upstreamModel: entry.upstreamModel });
    return this.view(entry);
  }

  /** PUT: every field anew (the id and creation time stay). */
  async replace(id: string, body: CreateModelBody, actor: Actor): Promise<AdminModelView> {
    if (body.id !== id) throw AppError.badRequest(`id: the body says "${body.id}" but the URL names "${id}"; ids cannot change`);
    return this.update(id, () => body, 'model.update', actor);
  }

  async patch(id: string, body: PatchModelBody, actor: Actor): Promise<AdminModelView> {
    const action = Object.keys(body).length === 1 && body.active !== undefined ? (body.active ? 'model.activate' : 'model.deactivate') : 'model.update';
    return this.update(
      id,
      (current) => {
        const { apiKeyEnv, ...rest } = body;
        const next: Record<string, unknown> = { ...current, ...rest };
        if (apiKeyEnv === null) delete next.apiKeyEnv;
        else if (apiKeyEnv !== undefined) next.apiKeyEnv = apiKeyEnv;
        return next;
      },
      action,
      actor,
    );
  }

  async remove(id: string, actor: Actor): Promise<void> {
    const users = this.deps.catalog
      .all()
      .filter((m) => m.fallbacks.includes(id))
      .map((m) => m.id);
    if (users.length > 0) throw AppError.conflict(`Model "${id}" is a fallback of ${users.join(', ')}; remove it from their fallbacks first`);
    try {
      await this.deps.store.remove(id);
    } catch (err) {
      if (err instanceof ModelMissingError) throw this.notInRegistry(id);
      throw err;
    }
    await this.changed('model.delete', id, actor, {});
  }

  async test(id: string, actor: Actor): Promise<ModelTestResult> {
    const entry = this.deps.catalog.resolve(id);
    if (!entry) throw AppError.notFound(`Model "${id}"`);
    const result = await this.deps.tester(entry);
    await this.deps.audit.append({
      action: 'model.test',
      uid: actor.uid,
      target: id,
      requestId: actor.requestId,
      outcome: 'ok',
      details: { ok: result.ok, latencyMs: result.latencyMs, ...(result.error ? { error: result.error.code } : {}) },
    });
    return result;
  }

  private async update(id: string, change: (current: ModelEntry) => Record<string, unknown>, action: string, actor: Actor): Promise<AdminModelView> {
    // Compare-and-set: a concurrent admin change makes us read again, never overwrite blindly.
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.deps.store.get(id);
      if (!current) throw this.notInRegistry(id);
      const proposed = change(current.entry);
      this.checkFallbacks(id, (proposed.fallbacks as string[] | undefined) ?? []);
      const entry = this.validEntry({ ...proposed, id, source: 'admin', createdAt: current.entry.createdAt, updatedAt: new Date().toISOString() });
      try {
        await this.deps.store.replace(entry, current.raw);
      } catch (err) {
        if (err instanceof ModelChangedError) continue;
        if (err instanceof ModelMissingError) throw this.notInRegistry(id);
        throw err;
      }
      await this.changed(action, id, actor, { changed: changedFields(current.entry, entry) });
      return this.view(entry);
    }
    throw AppError.conflict(`Model "${id}" kept changing while this change was written; try again`);
  }

  private validEntry(candidate: Record<string, unknown>): ModelEntry {
    const parsed = modelEntrySchema.safeParse(candidate);
    if (!parsed.success) throw validationError(parsed.error as z.ZodError, 'model');
    return parsed.data;
  }

  private checkFallbacks(id: string, fallbacks: readonly string[]): void {
    const unknown = fallbacks.filter((f) => f !== id && !this.deps.catalog.resolve(f));
    if (unknown.length === 0) return;
    const message = `no model named ${unknown.map((u) => `"${u}"`).join(', ')}`;
    // Same shape as a schema failure, so a form can put the message under its field.
    throw new AppError(400, 'invalid_request', `fallbacks: ${message}`, { issues: [{ path: 'fallbacks', message }] });
  }

  private notInRegistry(id: string): AppError {
    const detected = this.deps.catalog.resolve(id)?.source === 'ollama';
    return detected
      ? new AppError(404, 'not_found', `Model "${id}" is detected from Ollama, not stored in the registry; POST an entry with this id to override it`)
      : AppError.notFound(`Model "${id}"`);
  }

  private async changed(action: string, id: string, actor: Actor, details: Record<string, unknown>): Promise<void> {
    // Reload first: the admin's next request (often to this same process) must see the change.
    await this.deps.catalog.reload();
    await this.deps.audit.append({ action, uid: actor.uid, target: id, requestId: actor.requestId, outcome: 'ok', details });
  }

  private view(entry: ModelEntry): AdminModelView {
    const env = this.deps.env ?? process.env;
    return { ...entry, keyConfigured: entry.apiKeyEnv ? Boolean(env[entry.apiKeyEnv]?.trim()) : true };
  }
}

function changedFields(before: ModelEntry, after: ModelEntry): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('updatedAt');
  keys.delete('source');
  return [...keys].filter((k) => JSON.stringify(before[k as keyof ModelEntry]) !== JSON.stringify(after[k as keyof ModelEntry])).sort();
}
