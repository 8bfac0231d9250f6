import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Router, type RequestHandler } from 'express';
import type { GatewayModel } from '@patchpad/shared';
import { AppError } from '../http/errors';
import { bearerToken } from '../auth/middleware';
import type { ModelCatalog } from '../models/catalog';
import { handleChat, type ChatDeps, type GatewayRequest } from './chat-handler';

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The credential of a gateway call, or a 401: the worker's service credential only, never a browser's token. */
export function serviceCredential(req: IncomingMessage, token: string): string {
  const presented = bearerToken(req.headers.authorization);
  if (!presented || !constantTimeEqual(presented, token)) {
    throw new AppError(401, 'invalid_api_key', 'The gateway needs the service credential: "Authorization: Bearer $GATEWAY_SERVICE_TOKEN"');
  }
  return presented;
}

export function requireServiceToken(token: string): RequestHandler {
  return (req, res, next) => {
    try {
      res.locals.credential = serviceCredential(req, token);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** OpenAI's GET /v1/models, with the limits the worker budgets its prompts by. */
export function modelList(catalog: ModelCatalog): { object: 'list'; data: GatewayModel[] } {
  const data = catalog.active().map((m) => ({
    id: m.id,
    object: 'model' as const,
    owned_by: m.provider,
    context_window: m.contextWindow,
    max_output_tokens: m.maxOutputTokens,
    required_plan: m.requiredPlan,
  }));
  return { object: 'list', data };
}

/** OpenAI-compatible surface for Express (mount behind requireServiceToken): /v1/models and /v1/chat/completions. */
export function gatewayRoutes(deps: ChatDeps & { catalog: ModelCatalog }): Router {
  const router = Router();
  router.get('/v1/models', (_req, res) => {
    res.json(modelList(deps.catalog));
  });
  router.post('/v1/chat/completions', (req, res) => handleChat(req as GatewayRequest, res, res.locals.credential as string, deps));
  return router;
}
