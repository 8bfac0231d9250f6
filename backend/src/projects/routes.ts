import express, { Router, type Request, type RequestHandler } from 'express';
import {
  createProjectBodySchema,
  duplicateProjectBodySchema,
  IMPORT_LIMITS,
  ImportError,
  projectFilesSchema,
  projectIdSchema,
  projectNameSchema,
  renameProjectBodySchema,
  saveProjectBodySchema,
  versionIdSchema,
  versionPageQuerySchema,
} from '@patchpad/shared';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { parseBody, parseParam } from '../http/validate';
import { unzipProject } from './archive';
import type { Actor, RequestCtx } from './commit';
import type { ProjectService } from './service';

const idempotencyKeySchema = z.string().regex(/^[\w.:-]{8,128}$/, 'Idempotency-Key must be 8-128 letters, digits or _.:-');
const importJsonSchema = z.object({ name: projectNameSchema, files: projectFilesSchema }).strict();
const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

const actor = (req: Request): Actor => ({ uid: req.user!.uid, email: req.user!.email });
const ctx = (req: Request): RequestCtx => ({ requestId: req.id, log: req.log });
const projectId = (req: Request) => parseParam(projectIdSchema, req.params.id, 'project id');
const idempotencyKey = (req: Request) => {
  const raw = req.get('idempotency-key');
  return raw === undefined ? undefined : parseParam(idempotencyKeySchema, raw, 'Idempotency-Key');
};
const optionalVersion = (req: Request) => (req.query.version === undefined ? undefined : parseParam(versionIdSchema, req.query.version, 'version'));

/** Refuses an oversized zip by its Content-Length, before reading it, with the limit in the message. */
const zipSizeGuard: RequestHandler = (req, _res, next) => {
  const length = Number(req.get('content-length'));
  if (Number.isFinite(length) && length > IMPORT_LIMITS.maxArchiveBytes) {
    return next(new AppError(413, 'payload_too_large', `The zip is ${length} bytes; at most ${IMPORT_LIMITS.maxArchiveBytes} bytes (16 MiB) can be imported`));
  }
  next();
};

/** Thin: validate, call the service, answer. Every route is the signed-in user's own projects only. */
export function projectRoutes(service: ProjectService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.json({ projects: await service.list(req.user!.uid) });
  });

  router.get('/trash', async (req, res) => {
    res.json({ projects: await service.trash(req.user!.uid) });
  });

  router.delete('/trash/:id', async (req, res) => {
    await service.purge(actor(req), projectId(req), ctx(req));
    res.status(204).end();
  });

  router.post('/', async (req, res) => {
    const body = parseBody(createProjectBodySchema, req);
    const { snapshot, created } = await service.create(actor(req), body, { idempotencyKey: idempotencyKey(req) }, ctx(req));
    res.status(created ? 201 : 200).json(snapshot);
  });

  router.post('/import', zipSizeGuard, express.raw({ type: ZIP_TYPES, limit: IMPORT_LIMITS.maxArchiveBytes }), async (req, res) => {
    let name: string;
    let imported: { files: Record<string, string>; skipped: { path: string; reason: string }[] };
    try {
      if (Buffer.isBuffer(req.body)) {
        name = parseParam(projectNameSchema, req.query.name ?? 'Imported project', 'name');
        imported = unzipProject(req.body);
      } else {
        const body = parseBody(importJsonSchema, req);
        name = body.name;
        imported = { files: body.files, skipped: [] };
      }
    } catch (err) {
      if (err instanceof ImportError) throw new AppError(400, 'import_refused', err.message, err.path ? { path: err.path } : undefined);
      throw err;
    }
    const { snapshot, created } = await service.importFiles(actor(req), name, imported.files, { idempotencyKey: idempotencyKey(req) }, ctx(req));
    res.status(created ? 201 : 200).json({ ...snapshot, skipped: imported.skipped });
  });

  router.get('/:id', async (req, res) => {
    res.json(await service.load(req.user!.uid, projectId(req), optionalVersion(req)));
  });

  router.patch('/:id', async (req, res) => {
    const { name } = parseBody(renameProjectBodySchema, req);
    res.json({ project: await service.rename(actor(req), projectId(req), name, ctx(req)) });
  });

  router.delete('/:id', async (req, res) => {
    res.json({ project: await service.remove(actor(req), projectId(req), ctx(req)) });
  });

  router.post('/:id/restore', async (req, res) => {
    res.json({ project: await service.restore(actor(req), projectId(req), ctx(req)) });
  });

  router.post('/:id/duplicate', async (req, res) => {
    const { name } = parseBody(duplicateProjectBodySchema, req);
    const { snapshot, created } = await service.duplicate(actor(req), projectId(req), name, { idempotencyKey: idempotencyKey(req) }, ctx(req));
    res.status(created ? 201 : 200).json(snapshot);
  });

  router.put('/:id/files', async (req, res) => {
    const body = parseBody(saveProjectBodySchema, req);
    res.json(await service.save(actor(req), projectId(req), body, ctx(req)));
  });

  router.get('/:id/versions', async (req, res) => {
    const page = parseParam(versionPageQuerySchema, req.query, 'query');
    res.json(await service.versions(req.user!.uid, projectId(req), page));
  });

  router.post('/:id/versions/:version/restore', async (req, res) => {
    const version = parseParam(versionIdSchema, req.params.version, 'version');
    res.json(await service.restoreVersion(actor(req), projectId(req), version, ctx(req)));
  });

  router.get('/:id/export', async (req, res) => {
    const { name, version, zip } = await service.exportZip(req.user!.uid, projectId(req), optionalVersion(req));
    const file = `${name.replace(/[^\w .-]+/g, '_').trim() || 'project'}.zip`;
    res
      .status(200)
      .set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`${name}.zip`)}`,
        'X-Project-Version': version,
      })
      .send(zip);
  });

  return router;
}
