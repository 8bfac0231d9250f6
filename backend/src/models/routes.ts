import { Router } from 'express';
import type { PublicModel, UserModelsResponse } from '@patchpad/shared';
import type { ModelCatalog } from './catalog';
import type { PlanOf } from './plan';

/** GET /api/models: the active models the signed-in user's plan allows (mount behind requireUser). */
export function userModelRoutes(catalog: ModelCatalog, planOf: PlanOf): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const plan = await planOf(req.user!.uid);
    const visible = catalog.visibleTo(plan);
    const models: PublicModel[] = visible.map((m) => ({
      id: m.id,
      name: m.name,
      provider: m.provider,
      requiredPlan: m.requiredPlan,
      contextWindow: m.contextWindow,
      maxOutputTokens: m.maxOutputTokens,
    }));
    const body: UserModelsResponse = { models, defaultModel: catalog.defaultAmong(visible), plan };
    res.json(body);
  });
  return router;
}
