import express from 'express';
import type { Redis } from 'ioredis';
import type { BackendConfig } from '../config';
import type { Logger } from '../log';
import { requestContext } from '../http/request-context';
import { errorHandler, notFoundHandler } from '../http/errors';
import { healthRoutes } from '../health/routes';
import type { GatewayModule } from './module';
import { gatewayRoutes, requireServiceToken } from './routes';

/**
 * The gateway on its own: /gateway/v1 and /health, nothing of the product API (no Firebase,
 * no queue, no project store), so the process that carries every model call stays small.
 * The full API serves the same routes from the same module (app.ts).
 */
export function createGatewayApp(deps: { config: BackendConfig; logger: Logger; redis: Redis; gateway: GatewayModule }): express.Express {
  const { config, gateway } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', 'loopback');
  app.use(requestContext(deps.logger));
  app.use('/health', healthRoutes({ redis: deps.redis, store: null, catalog: gateway.catalog, breakers: gateway.breakers, queueDepth: null }));
  app.use(
    '/gateway',
    express.json({ limit: '8mb' }),
    requireServiceToken(config.gatewayToken),
    gatewayRoutes({ catalog: gateway.catalog, service: gateway.service, rateLimit: gateway.rateLimit, timeoutMs: config.PROVIDER_TIMEOUT_MS }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
