import express, { Router } from 'express';
import type { RedisClient } from '@patchpad/shared/server';
import type { ClientConfig } from '@patchpad/shared';
import type { BackendConfig } from './config';
import type { Logger } from './log';
import { requestContext } from './http/request-context';
import { corsFor, securityHeaders } from './http/security';
import { errorHandler, notFoundHandler } from './http/errors';
import type { UnauthenticatedLimiter } from './http/ip-limits';
import { requireAdmin, requireUser } from './auth/middleware';
import type { TokenVerifier } from './auth/verifier';
import { taskRoutes } from './tasks/routes';
import type { TaskService } from './tasks/service';
import type { TaskEventHub } from './tasks/event-hub';
import type { StreamSlots } from './tasks/stream-slots';
import type { ProjectService } from './projects/service';
import { projectRoutes } from './projects/routes';
import { gatewayRoutes, requireServiceToken } from './gateway/routes';
import type { GatewayModule } from './gateway/module';
import { ModelService } from './models/service';
import type { ModelCatalog } from './models/catalog';
import { userModelRoutes } from './models/routes';
import type { PlanOf } from './models/plan';
import { adminModelRoutes } from './admin/models-routes';
import { healthRoutes, type HealthDeps } from './health/routes';
import { adminRoutes, type AdminRouteDeps } from './admin/routes';
import type { AuditLog } from './audit/log';
import type { AccountStore } from './quota/accounts';
import type { QuotaLedger } from './quota/ledger';
import { requireActiveAccount } from './quota/middleware';
import { effectiveLimits, type PlanTable } from './quota/plans';
import type { Packages } from './packages/index';
import type { DeliveryLag } from './tasks/delivery-lag';

export type AppDeps = {
  config: BackendConfig;
  logger: Logger;
  redis: RedisClient;
  verifier: TokenVerifier;
  unauthenticated: UnauthenticatedLimiter;
  accounts: AccountStore;
  ledger: QuotaLedger;
  plans: PlanTable;
  tasks: TaskService;
  hub: TaskEventHub;
  slots: StreamSlots;
  /** Live task events' time from append to a client (see tasks/delivery-lag.ts). */
  delivery: DeliveryLag;
  projects: ProjectService;
  audit: AuditLog;
  /** Model registry, gateway, breakers and usage (see gateway/module.ts). */
  gateway: GatewayModule;
  /** The user's plan, from their account: which models they may see and use. */
  planOf: PlanOf;
  health: HealthDeps;
  admin: Omit<AdminRouteDeps, 'shutdown'>;
  /** The preview's package service (/api/packages). */
  packages?: Packages;
  /** Aborted when the server starts shutting down: long-lived responses (event streams) end. */
  shutdown?: AbortSignal;
};

/** Wiring only: every route's logic lives in its domain folder; services are built in wiring.ts. */
export function createApp(deps: AppDeps): express.Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestContext(deps.logger));
  app.use(securityHeaders());

  app.use('/health', healthRoutes(deps.health));

  const { catalog } = deps.gateway;
  const models = new ModelService({ store: deps.gateway.store, catalog, audit: deps.audit, tester: (entry) => deps.gateway.service.test(entry, deps.logger) });

  // The gateway: service-to-service, no CORS; it reads (large) bodies only once authenticated.
  app.use(
    '/gateway',
    requireServiceToken(config.gatewayToken),
    gatewayRoutes({ catalog, service: deps.gateway.service, rateLimit: deps.gateway.rateLimit, timeoutMs: config.PROVIDER_TIMEOUT_MS }),
  );

  // Called by previews on their own origins (open CORS, a capability instead of a sign-in).
  if (deps.packages) {
    const signedIn = [requireUser(deps.verifier, deps.unauthenticated), requireActiveAccount(deps.accounts)];
    app.use('/api/packages', deps.packages.router(corsFor(config.CORS_ORIGINS), signedIn));
  }

  const api = Router();
  api.use(corsFor(config.CORS_ORIGINS));
  api.get('/config', (_req, res) => {
    res.json(clientConfig(config, catalog));
  });
  // Authentication before any body is parsed: a request without a valid token is answered
  // from its headers alone.
  api.use(requireUser(deps.verifier, deps.unauthenticated));
  api.use(requireActiveAccount(deps.accounts));
  api.use(express.json({ limit: '10mb' }));
  api.get('/me', (req, res) => {
    res.json({ user: req.user, plan: req.account!.plan });
  });
  api.get('/me/usage', async (req, res) => {
    const account = req.account!;
    res.json({ usage: await deps.ledger.summary(account.uid, account.plan, effectiveLimits(account, deps.plans)) });
  });
  api.use(
    '/agent/tasks',
    taskRoutes({ service: deps.tasks, hub: deps.hub, slots: deps.slots, delivery: deps.delivery, ...(deps.shutdown ? { shutdown: deps.shutdown } : {}) }),
  );
  api.use('/projects', projectRoutes(deps.projects));
  api.use('/admin', adminRoutes({ ...deps.admin, ...(deps.shutdown ? { shutdown: deps.shutdown } : {}) }));
  api.use('/models', userModelRoutes(catalog, deps.planOf));
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
