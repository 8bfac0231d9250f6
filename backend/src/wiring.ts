import { setMaxListeners } from 'node:events';
import type { Express } from 'express';
import { connectRedis, createTaskQueue, TaskStore, watchConnection, type RedisClient } from '@patchpad/shared/server';
import { createApp } from './app';
import type { BackendConfig } from './config';
import type { Logger } from './log';
import { cachedVerifier } from './auth/token-cache';
import { createFirebaseVerifier, type TokenVerifier } from './auth/verifier';
import { UnauthenticatedLimiter } from './http/ip-limits';
import { createProjectStore } from './projects/drivers/index';
import { redisProjectLock } from './projects/save-lock';
import { ProjectService } from './projects/service';
import { ProjectMaintenance } from './projects/maintenance';
import { BlobFence, type FenceOptions } from './projects/blob-fence';
import { createGatewayModule, type GatewayModule } from './gateway/module';
import { startBreakerReports, breakerReports } from './gateway/breaker-report';
import type { PlanOf } from './models/plan';
import { AuditLog } from './audit/log';
import { AuditChain } from './audit/chain-store';
import { resolveAuditKey } from './audit/key';
import { TaskService } from './tasks/service';
import { AdminUsers } from './admin/users';
import { AdminTasks } from './admin/tasks';
import type { UsageReader } from './admin/usage';
import { AuditQuery } from './audit/query';
import { firebaseRoles } from './auth/roles';
import { AccountStore } from './quota/accounts';
import { QuotaLedger } from './quota/ledger';
import { planTable } from './quota/plans';
import { TaskEventHub } from './tasks/event-hub';
import { StreamSlots } from './tasks/stream-slots';
import { TaskReaper } from './tasks/reaper';
import { crashHookFromEnv, type FaultHook } from './tasks/faults';
import { createPackages } from './packages/index';
import { DeliveryLag } from './tasks/delivery-lag';

export type Backend = {
  app: Express;
  gateway: GatewayModule;
  redis: RedisClient;
  audit: AuditLog;
  auditChain: AuditChain;
  taskStore: TaskStore;
  accounts: AccountStore;
  ledger: QuotaLedger;
  reaper: TaskReaper;
  hub: TaskEventHub;
  /** Ends long-lived responses (event streams) so that the HTTP server can close; call first. */
  drain: () => void;
  close: () => Promise<void>;
  maintenance: ProjectMaintenance;
};

export type BackendOptions = {
  /** Test seam between the writes of a task creation (tasks/faults.ts). */
  faults?: FaultHook;
  /** Run the audit integrator and the reaper in the background (default true). */
  background?: boolean;
  /** Test seam: wraps the Firebase verifier (e.g. to shorten a token's life). */
  wrapVerifier?: (verifier: TokenVerifier) => TokenVerifier;
  /** Test seam: the audit log projects write to (a failing one, to see a save retried). */
  projectAudit?: AuditLog;
  /** Test seam: how long a save's pins keep its blobs from the collector. */
  fence?: FenceOptions;
  /** Test seam: the user's plan, instead of their account's. */
  planOf?: PlanOf;
};

/**
 * Builds the API with its real dependencies (Redis, BullMQ, Firebase, the store, the model
 * registry) and starts its background duties (audit integration, the reaper, the event hub).
 * Shared by main.ts and the integration tests, so tests run what production runs.
 *
 * Redis connections per process, however many requests and streams: one for commands, one
 * for the queue, one subscriber for every event stream.
 */
export async function createBackend(config: BackendConfig, logger: Logger, options: BackendOptions = {}): Promise<Backend> {
  const connections: RedisClient[] = [];
  /**
   * Command connections fail fast while Redis is away (a 503 for that request, see
   * isRedisUnavailable) instead of queueing until it is back: an HTTP request must not hang.
   * The subscriber keeps reconnecting and the hub reads what it missed.
   */
  const connect = (role: 'commands' | 'queue' | 'events') => {
    // Named so an operator (and the stream test) can count this deployment's connections.
    const connection = connectRedis(
      { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES },
      { name: `patchpad-api-${config.REDIS_PREFIX}-${role}`, failFast: role !== 'events' },
    );
    connections.push(connection);
    return watchConnection(connection, role, logger);
  };
  const redis = connect('commands');
  const queueConnection = connect('queue');
  const subscriber = connect('events');
  // Fail-fast connections refuse commands until connected: give them a moment at start-up
  // (with Redis down the API still starts, answers 503, and recovers when Redis comes back).
  await Promise.all([redis, queueConnection, subscriber].map((c) => whenReady(c, 5_000)));

  const prefix = config.REDIS_PREFIX;
  const queueLog = logger.child({ duty: 'queue' });
  const queue = createTaskQueue(queueConnection, prefix, (err) =>
    queueLog.debug({ err: err.message }, 'task queue error (an outage is logged once by the connection watch)'),
  );
  const projectStore = await createProjectStore(config, logger);
  const store = new TaskStore(redis, prefix);
  const audit = new AuditLog(redis, prefix);
  const auditChain = new AuditChain({
    redis,
    prefix,
    key: await resolveAuditKey(config.AUDIT_HMAC_KEY, config.DATA_DIR),
    archive: projectStore,
    log: logger.child({ duty: 'audit' }),
    checkpointEvery: config.AUDIT_CHECKPOINT_EVERY,
    checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
  });
  const faults = options.faults ?? crashHookFromEnv(process.env);
  const plans = planTable(config);
  const accounts = new AccountStore(redis, prefix, config.DEFAULT_PLAN);
  const ledger = new QuotaLedger(redis, prefix);
  const planOf: PlanOf = options.planOf ?? (async (uid) => (await accounts.get(uid)).plan);
  // The registry's change notices share the event subscriber: one subscribed connection per process.
  const gateway = await createGatewayModule({
    config,
    redis,
    subscriber,
    logger,
    planOf,
    onSpend: (uid, taskId, tokens) => ledger.consume(uid, taskId, tokens),
  });
  const stopBreakerReports = startBreakerReports(redis, prefix, gateway.breakers);
  const projectAudit = options.projectAudit ?? audit;
  const projectLock = redisProjectLock(redis, prefix);
  const fence = new BlobFence(redis, prefix, options.fence);
  const projects = new ProjectService({ store: projectStore, lock: projectLock, fence, audit: projectAudit });
  // Trash purge and blob GC; tests drive it themselves (runOnce) instead of on a timer.
  const maintenance = new ProjectMaintenance({ store: projectStore, lock: projectLock, fence, audit: projectAudit, redis, prefix, log: logger });
  const tasks = new TaskService({
    store,
    queue,
    audit,
    log: logger.child({ domain: 'tasks' }),
    rate: { ratePerWindow: config.RATE_LIMIT_PER_MINUTE, rateWindowMs: 60_000, inFlightStaleMs: config.TASK_MAX_AGE_MS * 2 },
    plans,
    projects: { exists: (uid, id) => projects.exists(uid, id), files: async (uid, id, version) => (await projects.load(uid, id, version)).files },
    ...(faults ? { faults } : {}),
  });
  const reaper = new TaskReaper({
    redis,
    prefix,
    store,
    queue,
    completeCreation: (task) => tasks.completeCreation(task),
    log: logger.child({ duty: 'reaper' }),
    maxAgeMs: config.TASK_MAX_AGE_MS,
    graceMs: config.REAPER_GRACE_MS,
    intervalMs: config.REAPER_INTERVAL_MS,
  });
  const hub = new TaskEventHub(subscriber, store, logger.child({ duty: 'events' }));
  hub.start();
  const slots = new StreamSlots(redis, prefix, config.STREAMS_PER_USER);
  const draining = new AbortController();
  // Every open event stream and audit tail listens here to end on shutdown, so hundreds at once
  // are normal (StreamSlots caps them per user); Node's default of 10 would log a false leak.
  setMaxListeners(0, draining.signal);

  const roles = firebaseRoles(config.FIREBASE_PROJECT_ID);
  const usage: UsageReader = gateway.usage;
  const tasksHealth = async () => {
    const [live, stuck, reaped] = await Promise.all([store.liveCount(), store.liveBefore(Date.now() - config.TASK_MAX_AGE_MS, 1000), reaper.reapedCounts()]);
    return { live, stuck: stuck.length, reaped };
  };
  const auditHealth = async () => {
    const [pending, head] = await Promise.all([audit.pendingCount(), auditChain.head()]);
    return { pending, chained: head.seq };
  };

  const delivery = new DeliveryLag();
  const app = createApp({
    config,
    logger,
    redis,
    verifier: (options.wrapVerifier ?? ((v) => v))(
      cachedVerifier(
        createFirebaseVerifier({ projectId: config.FIREBASE_PROJECT_ID, adminEmails: config.ADMIN_EMAILS, emulatorHost: config.FIREBASE_AUTH_EMULATOR_HOST }),
        // About a kilobyte per token: a few MiB at most, and an hour of a busy API's users.
        { max: 5_000, ttlMs: 10 * 60_000 },
      ),
    ),
    unauthenticated: new UnauthenticatedLimiter(redis, prefix, config.UNAUTHENTICATED_PER_MINUTE),
    accounts,
    ledger,
    plans,
    tasks,
    hub,
    slots,
    delivery,
    projects,
    audit,
    gateway,
    planOf,
    health: {
      redis,
      store: projectStore,
      catalog: gateway.catalog,
      breakers: gateway.breakers,
      queueWaiting: () => queue.waitingCount(),
      tasks: tasksHealth,
      audit: auditHealth,
      streams: () => ({ open: hub.size, deliveryLagMs: delivery.snapshot() }),
    },
    admin: {
      redis,
      prefix,
      users: new AdminUsers({ redis, prefix, accounts, ledger, plans, usage, roles, audit }),
      tasks: new AdminTasks(redis, prefix, store, async (uid) => (await accounts.profile(uid)).email),
      usage,
      accounts,
      audit,
      auditChain,
      auditQuery: new AuditQuery(redis, prefix),
      health: { redis, prefix, store: projectStore, queue, tasks: tasksHealth, audit: auditHealth, providers: () => breakerReports(redis, prefix) },
    },
    packages: await createPackages(config, { store: projectStore, redis, logger }),
    shutdown: draining.signal,
  });

  const background = options.background ?? true;
  const stops = background ? [auditChain.start(), reaper.start()] : [];
  if (background && config.NODE_ENV !== 'test') {
    maintenance.start();
    stops.push(() => maintenance.stop());
  }
  return {
    app,
    gateway,
    redis,
    audit,
    auditChain,
    taskStore: store,
    accounts,
    ledger,
    reaper,
    hub,
    maintenance,
    drain: () => draining.abort(),
    async close() {
      await Promise.allSettled(stops.map((stop) => stop()));
      await stopBreakerReports();
      hub.stop();
      await gateway.close();
      await Promise.allSettled([queue.close()]);
      for (const connection of connections) connection.disconnect();
    },
  };
}

function whenReady(connection: RedisClient, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      connection.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    connection.once('ready', done);
  });
}
