import { Router, type Request } from 'express';
import { createModelBodySchema, modelIdSchema, patchModelBodySchema } from '@patchpad/shared';
import { parseBody, parseParam } from '../http/validate';
import type { Actor, ModelService } from '../models/service';

/** /api/admin/models: the model registry, for admins (mount behind requireUser + requireAdmin). */
export function adminModelRoutes(service: ModelService): Router {
  const router = Router();
  const actor = (req: Request): Actor => ({ uid: req.user!.uid, requestId: req.id });
  const id = (req: Request) => parseParam(modelIdSchema, req.params.id, 'id');

  router.get('/', (_req, res) => {
    res.json({ models: service.list() });
  });
  router.post('/', async (req, res) => {
    res.status(201).json({ model: await service.create(parseBody(createModelBodySchema, req), actor(req)) });
  });
  router.get('/:id', (req, res) => {
    res.json({ model: service.get(id(req)) });
  });
  router.put('/:id', async (req, res) => {
    const modelId = id(req);
    res.json({ model: await service.replace(modelId, parseBody(createModelBodySchema, req), actor(req)) });
  });
  router.patch('/:id', async (req, res) => {
    const modelId = id(req);
    res.json({ model: await service.patch(modelId, parseBody(patchModelBodySchema, req), actor(req)) });
  });
  router.delete('/:id', async (req, res) => {
    await service.remove(id(req), actor(req));
    res.status(204).end();
  });
  router.post('/:id/activate', async (req, res) => {
    res.json({ model: await service.patch(id(req), { active: true }, actor(req)) });
  });
  router.post('/:id/deactivate', async (req, res) => {
    res.json({ model: await service.patch(id(req), { active: false }, actor(req)) });
  });
  router.post('/:id/test', async (req, res) => {
    res.json(await service.test(id(req), actor(req)));
  });
  return router;
}
