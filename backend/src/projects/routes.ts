import { Router } from 'express';
import { createProjectBodySchema, projectIdSchema, saveProjectBodySchema } from '@patchpad/shared';
import { z } from 'zod';
import { parseBody, parseParam } from '../http/validate';
import type { AuditLog } from '../audit/log';
import type { ProjectService } from './service';

const versionIdSchema = z.string().regex(/^[\w-]{1,120}$/, 'a version id is letters, digits, "_" or "-"');

export function projectRoutes(service: ProjectService, audit: AuditLog): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.json({ projects: await service.list(req.user!.uid) });
  });

  router.post('/', async (req, res) => {
    const body = parseBody(createProjectBodySchema, req);
    const snapshot = await service.create(req.user!.uid, body.name, body.files);
    await audit.append({ action: 'project.create', uid: req.user!.uid, target: snapshot.project.id, requestId: req.id });
    res.status(201).json(snapshot);
  });

  router.get('/:id', async (req, res) => {
    const id = parseParam(projectIdSchema, req.params.id, 'project id');
    const version = req.query.version === undefined ? undefined : parseParam(versionIdSchema, req.query.version, 'version');
    res.json(await service.load(req.user!.uid, id, version));
  });

  router.put('/:id/files', async (req, res) => {
    const id = parseParam(projectIdSchema, req.params.id, 'project id');
    const body = parseBody(saveProjectBodySchema, req);
    const snapshot = await service.save(req.user!.uid, id, body.files, body);
    await audit.append({ action: 'project.save', uid: req.user!.uid, target: id, requestId: req.id, details: { version: snapshot.version } });
    res.json({ project: snapshot.project, version: snapshot.version });
  });

  router.get('/:id/versions', async (req, res) => {
    const id = parseParam(projectIdSchema, req.params.id, 'project id');
    res.json({ versions: await service.versions(req.user!.uid, id) });
  });

  return router;
}
