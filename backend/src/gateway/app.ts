import { createServer, type Server } from 'node:http';
import express from 'express';
import type { RedisClient } from '@patchpad/shared/server';
import type { BackendConfig } from '../config';
import type { Logger } from '../log';
import { attachRequestContext, requestContext } from '../http/request-context';
import { errorHandler, errorResponse, notFoundHandler } from '../http/errors';
import { healthRoutes } from '../health/routes';
import { handleChat, type GatewayRequest } from './chat-handler';
import type { GatewayModule } from './module';
import { gatewayRoutes, requireServiceToken, serviceCredential } from './routes';

const CHAT_PATH = '/gateway/v1/chat/completions';

/**
 * The gateway on its own: /gateway/v1 and /health, nothing of the product API (no Firebase,
 * no queue, no project store), so the process that carries every model call stays small.
 * Chat completions, the hot path, go straight to the handler on node:http; the rest (model
 * list, health) through the same Express routers the API uses.
 */
export function createGatewayServer(deps: { config: BackendConfig; logger: Logger; redis: RedisClient; gateway: GatewayModule }): Server {
  const { config, gateway } = deps;
  const chatDeps = { service: gateway.service, rateLimit: gateway.rateLimit, timeoutMs: config.PROVIDER_TIMEOUT_MS };
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', 'loopback');
  app.use(requestContext(deps.logger));
  app.use('/health', healthRoutes({ redis: deps.redis, store: null, catalog: gateway.catalog, breakers: gateway.breakers, queueWaiting: null }));
  app.use('/gateway', requireServiceToken(config.gatewayToken), gatewayRoutes({ ...chatDeps, catalog: gateway.catalog }));
  app.use(notFoundHandler);
  app.use(errorHandler);

  return createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== CHAT_PATH) return void app(req, res);
    attachRequestContext(req, res, deps.logger);
    const request = req as GatewayRequest;
    let credential: string;
    try {
      credential = serviceCredential(req, config.gatewayToken);
    } catch (err) {
      const { status, body } = errorResponse(err, request.id, request.log);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      return;
    }
    void handleChat(request, res, credential, chatDeps);
  });
}
