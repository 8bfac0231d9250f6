import express, { Router } from 'express';
import type { Redis } from 'ioredis';
import type { ClientConfig } from '@patchpad/shared';
import type { BackendConfig } from './config';
import type { Logger } from './log';
import { requestContext } from './http/request-context';
import { corsFor, securityHeaders } from './http/security';
import { errorHandler, notFoundHandler } from './http/errors';
import { requireAdmin, requireUser } from './auth/middleware';
import type { TokenVerifier } from './auth/verifier';
import { taskRoutes } from './tasks/routes';
import { TaskService } from './tasks/service';
import { TaskStore } from './tasks/store';
import type { TaskQueue } from './tasks/queue';
import { redisProjectLock } from './projects/save-lock';
import { ProjectService } from './projects/service';
import { projectRoutes } from './projects/routes';
import type { ProjectStore } from './projects/store';
import { gatewayRoutes, requireServiceToken } from './gateway/routes';
import type { GatewayModule } from './gateway/module';
import { ModelService } from './models/service';
import type { ModelCatalog } from './models/catalog';
import { userModelRoutes } from './models/routes';
import { everyoneFree, type PlanOf } from './models/plan';
import { adminModelRoutes } from './admin/models-routes';
import { healthRoutes } from './health/routes';
import { AuditLog } from './audit/store';
import { createRateLimiter } from './quota/rate-limit';

export type AppDeps = {
  config: BackendConfig;
  logger: Logger;
  redis: Redis;
  /** A fresh connection for each blocking reader (event streams). */
  newRedis: () => Redis;
  verifier: TokenVerifier;
  queue: TaskQueue;
  projectStore: ProjectStore;
  /** Model registry, gateway, breakers and usage (see gateway/module.ts). */
  gateway: GatewayModule;
  /** The user's plan (quota module); everyone is 'free' until it is wired. */
  planOf?: PlanOf;
  queueDepth: () => Promise<number>;
  /** Aborted when the server starts shutting down: long-lived responses (event streams) end. */
  shutdown?: AbortSignal;
};

/** Wiring only: every route's logic lives in its domain folder. */
export function createApp(deps: AppDeps): express.Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext(deps.logger));
  app.use(securityHeaders());

  const audit = new AuditLog(deps.redis, config.REDIS_PREFIX);
  const taskStore = new TaskStore(deps.redis, config.REDIS_PREFIX);
  const tasks = new TaskService({
    store: taskStore,
    queue: deps.queue,
    audit,
    rateLimiter: createRateLimiter(deps.redis, config.REDIS_PREFIX, config.RATE_LIMIT_PER_MINUTE),
  });
  const projects = new ProjectService(deps.projectStore, redisProjectLock(deps.redis, config.REDIS_PREFIX));

  const { catalog, breakers } = deps.gateway;
  const planOf = deps.planOf ?? everyoneFree;
  const models = new ModelService({ store: deps.gateway.store, catalog, audit, tester: (entry) => deps.gateway.service.test(entry, deps.logger) });
  app.use('/health', healthRoutes({ redis: deps.redis, store: deps.projectStore, catalog, breakers, queueDepth: deps.queueDepth }));

  // The gateway: service-to-service, no CORS; it reads (large) bodies only once authenticated.
  app.use(
    '/gateway',
    requireServiceToken(config.gatewayToken),
    gatewayRoutes({ catalog, service: deps.gateway.service, rateLimit: deps.gateway.rateLimit, timeoutMs: config.PROVIDER_TIMEOUT_MS }),
  );

  const api = Router();
  api.use(corsFor(config.CORS_ORIGINS));
  api.use(express.json({ limit: '10mb' }));
  api.get('/config', (_req, res) => {
    res.json(clientConfig(config, catalog));
  });
  api.use(requireUser(deps.verifier));
  api.get('/me', (req, res) => {
    res.json({ user: req.user });
  });
  api.use('/agent/tasks', taskRoutes({ service: tasks, store: taskStore, newReader: deps.newRedis, ...(deps.shutdown ? { shutdown: deps.shutdown } : {}) }));
  api.use('/projects', projectRoutes(projects, audit));
  api.use('/models', userModelRoutes(catalog, planOf));
  api.use('/admin/models', requireAdmin, adminModelRoutes(models));
  app.use('/api', api);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function clientConfig(config: BackendConfig, catalog: ModelCatalog): ClientConfig {
  const free = catalog.visibleTo('free');
  return {
    firebase: {
      apiKey: config.FIREBASE_API_KEY ?? 'demo-api-key',
      authDomain: config.FIREBASE_AUTH_DOMAIN ?? `${config.FIREBASE_PROJECT_ID}.firebaseapp.com`,
      projectId: config.FIREBASE_PROJECT_ID,
    },
    authEmulatorUrl: config.FIREBASE_AUTH_EMULATOR_HOST ? (config.PUBLIC_AUTH_EMULATOR_URL ?? `http://${config.FIREBASE_AUTH_EMULATOR_HOST}`) : null,
    previewUrl: config.PREVIEW_MODE === 'self-hosted' ? config.PUBLIC_PREVIEW_URL : null,
    models: free.map((m) => ({ id: m.id, provider: m.provider, name: m.name })),
    defaultModel: catalog.defaultAmong(free),
  };
}
