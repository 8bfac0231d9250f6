import { z } from 'zod';

/**
 * One zod-parsed env object per process. Defaults are the embedded local setup that
 * `npm start` runs; production must set the secrets (see README's configuration table).
 */
const csv = (fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const shared = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Redis Cluster seed nodes, `host:port,host:port,…`; REDIS_URL then only gives the password. */
  REDIS_CLUSTER_NODES: csv().pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each node is host:port'))),
  /** Prefix of every Redis key this deployment owns; tests use their own. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/i)
    .default('pp'),
  /** Shared secret the worker presents to the gateway; never a browser token. */
  GATEWAY_SERVICE_TOKEN: optionalString,
};

/** The API is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const DEV_GATEWAY_TOKEN = 'patchpad-dev-gateway-token';

export const backendEnvSchema = z
  .object({
    ...shared,
    PORT: port(8080),
    HOST: z.string().default('127.0.0.1'),
    /**
     * Which proxies' X-Forwarded-For to believe for the client's address (Express's trust proxy:
     * 'loopback', 'uniquelocal', a list of addresses, …). Per-IP limits count that address.
     */
    TRUST_PROXY: z.string().trim().min(1).default('loopback'),
    CORS_ORIGINS: csv('http://localhost:5173'),
    FIREBASE_PROJECT_ID: z.string().min(1).default('demo-patchpad'),
    FIREBASE_AUTH_EMULATOR_HOST: optionalString,
    /** Where browsers reach the emulator when that differs from the backend's view (Docker). */
    PUBLIC_AUTH_EMULATOR_URL: optionalString.pipe(z.string().url().optional()),
    FIREBASE_API_KEY: optionalString,
    FIREBASE_AUTH_DOMAIN: optionalString,
    ADMIN_EMAILS: csv(),
    /**
     * Where browsers load the preview runtime. A `*` label gives every project its own origin
     * (`http://*.preview.localhost:5174` → `http://<project-hash>.preview.localhost:5174`).
     */
    PUBLIC_PREVIEW_URL: z
      .string()
      .default('http://*.preview.localhost:5174')
      .refine((u) => URL.canParse(u.replace('*', 'x')), 'must be a URL, optionally with a "*" label (http://*.preview.localhost:5174)'),
    /** Production shorthand: previews on `https://<project-hash>.<PREVIEW_DOMAIN>` (overrides PUBLIC_PREVIEW_URL). */
    PREVIEW_DOMAIN: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a domain like preview.example.com')
        .optional(),
    ),
    PREVIEW_MODE: z.enum(['self-hosted', 'hosted']).default('self-hosted'),
    /** Signs the capability the IDE hands the preview for package reads; the same for every API process. */
    PREVIEW_CAPABILITY_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional()),
    /** npm registry for preview packages; else npm_config_registry, else `registry=` of the .npmrc files, else npmjs. */
    PACKAGES_REGISTRY: optionalString.pipe(z.string().url().optional()),
    /** An .npmrc to read (registry, @scope:registry, //host/:_authToken); ~/.npmrc and ./.npmrc are read too. */
    PACKAGES_NPMRC: optionalString,
    /** Admin lists of package names (`lodash`, `@scope/*`): when ALLOW is set only those are served; DENY always wins. */
    PACKAGES_ALLOW: csv(),
    PACKAGES_DENY: csv(),
    PACKAGES_MAX_TARBALL_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
    PACKAGES_MAX_UNPACKED_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(80 * 1024 * 1024),
    PACKAGES_MAX_FILES: z.coerce.number().int().min(1).default(20_000),
    /** Packages one import may pull in, itself and every dependency. */
    PACKAGES_MAX_DEPENDENCIES: z.coerce.number().int().min(1).default(150),
    PACKAGES_MAX_BUNDLE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    /** Imports per user per hour that are not stored yet (each one downloads and bundles); stored ones are not counted. */
    PACKAGES_BUILDS_PER_HOUR: z.coerce.number().int().min(1).default(60),
    PACKAGES_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    STORAGE_DRIVER: z.enum(['fs', 'b2']).default('fs'),
    DATA_DIR: z.string().default('.data'),
    B2_KEY_ID: optionalString,
    B2_APPLICATION_KEY: optionalString,
    B2_BUCKET_ID: optionalString,
    B2_BUCKET_NAME: optionalString,
    /** Prefix for every name in the bucket, so one bucket can serve several deployments. */
    B2_KEY_PREFIX: z.string().default(''),
    /** b2_authorize_account URL: Backblaze's, unless pointing at a B2-compatible service or a test server. */
    B2_AUTHORIZE_URL: optionalString.pipe(z.string().url().optional()),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
    OPENAI_MODELS: csv('gpt-4o-mini'),
    ANTHROPIC_API_KEY: optionalString,
    ANTHROPIC_BASE_URL: z.string().url().default('https://api.anthropic.com/v1'),
    ANTHROPIC_MODELS: csv('claude-sonnet-4-5'),
    /** Any OpenAI-compatible server: Ollama (http://127.0.0.1:11434/v1), LiteLLM, vLLM… */
    OPENAI_COMPATIBLE_BASE_URL: optionalString.pipe(z.string().url().optional()),
    OPENAI_COMPATIBLE_API_KEY: optionalString,
    OPENAI_COMPATIBLE_MODELS: csv(),
    DEFAULT_MODEL: optionalString,
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
    /** Gateway → provider: TCP/TLS connect, and the longest silence between two chunks of an answer. */
    PROVIDER_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),
    PROVIDER_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    /** Retries of one model (429, 5xx, network) before its fallbacks; waits grow exponentially with jitter. */
    PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    PROVIDER_RETRY_BASE_MS: z.coerce.number().int().min(1).default(250),
    /** A Retry-After longer than this is not waited for: the next key or fallback is tried instead. */
    PROVIDER_RETRY_MAX_MS: z.coerce.number().int().min(1).default(10_000),
    /** How long a pool key rests after a 401/403 (a 429 rests for its Retry-After, else this). */
    PROVIDER_KEY_COOLDOWN_MS: z.coerce.number().int().min(1).default(60_000),
    /** Circuit breaker per provider endpoint: consecutive failures that open it, and how long it stays open. */
    BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
    BREAKER_OPEN_MS: z.coerce.number().int().min(10).default(30_000),
    /**
     * Calls per minute per gateway credential (token bucket, shared by every instance through
     * Redis). Every worker shares the one service credential, so this bounds the whole fleet:
     * users are limited where they create tasks; this guards against a leaked credential.
     */
    GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
    /** Port of the gateway-only process (`npm run start:gateway`). */
    GATEWAY_PORT: port(8081),
    /** Ollama autodetect: its models are listed without configuration when it answers here. */
    OLLAMA_URL: z.string().url().default('http://127.0.0.1:11434'),
    OLLAMA_AUTODETECT: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    OLLAMA_REFRESH_MS: z.coerce.number().int().min(100).default(60_000),
    OLLAMA_PROBE_TIMEOUT_MS: z.coerce.number().int().min(10).default(300),
    OLLAMA_CONTEXT_WINDOW: z.coerce.number().int().min(256).default(8192),
    /** How long the per-day usage rollups are kept. */
    USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Task creations per user: a bucket of this size that refills in a minute (no 2× at a minute's edge). */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** The plan of a user no admin has set one for. */
    DEFAULT_PLAN: z.enum(['free', 'pro', 'enterprise']).default('free'),
    /** Per plan: model tokens per calendar month (UTC), new tasks per day (UTC), tasks queued or running at once. */
    QUOTA_FREE_TOKENS_PER_MONTH: z.coerce.number().int().min(0).default(500_000),
    QUOTA_FREE_TASKS_PER_DAY: z.coerce.number().int().min(0).default(100),
    QUOTA_FREE_TASKS_IN_FLIGHT: z.coerce.number().int().min(1).default(5),
    QUOTA_PRO_TOKENS_PER_MONTH: z.coerce.number().int().min(0).default(5_000_000),
    QUOTA_PRO_TASKS_PER_DAY: z.coerce.number().int().min(0).default(1_000),
    QUOTA_PRO_TASKS_IN_FLIGHT: z.coerce.number().int().min(1).default(10),
    QUOTA_ENTERPRISE_TOKENS_PER_MONTH: z.coerce.number().int().min(0).default(50_000_000),
    QUOTA_ENTERPRISE_TASKS_PER_DAY: z.coerce.number().int().min(0).default(10_000),
    QUOTA_ENTERPRISE_TASKS_IN_FLIGHT: z.coerce.number().int().min(1).default(50),
    /** Open task event streams per user, across every API process. */
    STREAMS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
    /** Requests per minute from one IP address without a valid sign-in (bad or missing tokens). */
    UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** A task still queued or running after this long is ended as failed by the reaper. */
    TASK_MAX_AGE_MS: z.coerce
      .number()
      .int()
      .min(10_000)
      .default(30 * 60_000),
    /** How often the reaper looks for stuck tasks (one process at a time does it). */
    REAPER_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
    /** Tasks younger than this are left to their creator: an interrupted creation is finished after it. */
    REAPER_GRACE_MS: z.coerce.number().int().min(100).default(15_000),
    /** Key for the audit chain's HMACs, shared by every API process; never stored in Redis. */
    AUDIT_HMAC_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional()),
    /** Seal an audit checkpoint into the project store after this many entries… */
    AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(1000),
    /** …or this long after the previous one. */
    AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    /** Accept Auth-emulator tokens although the API listens beyond loopback (Docker on one host). */
    ALLOW_AUTH_EMULATOR: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER === 'b2') {
      for (const key of ['B2_KEY_ID', 'B2_APPLICATION_KEY', 'B2_BUCKET_ID', 'B2_BUCKET_NAME'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when STORAGE_DRIVER=b2' });
      }
    }
    if (env.FIREBASE_AUTH_EMULATOR_HOST && env.NODE_ENV !== 'production' && !isLoopbackHost(env.HOST) && !env.ALLOW_AUTH_EMULATOR) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_AUTH_EMULATOR_HOST'],
        message: `is set while the API listens on ${env.HOST}, beyond this machine: anyone who can reach it could forge a sign-in. Listen on 127.0.0.1 (HOST), unset it, or set ALLOW_AUTH_EMULATOR=true if this is a local container setup`,
      });
    }
    if (env.NODE_ENV !== 'production') return;
    if (!env.AUDIT_HMAC_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_HMAC_KEY'],
        message: 'must be set in production, the same for every API process (e.g. `openssl rand -hex 32`); it keys the tamper-evident audit log',
      });
    }
    if (env.FIREBASE_AUTH_EMULATOR_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_AUTH_EMULATOR_HOST'],
        message:
          'must not be set when NODE_ENV=production: emulator ID tokens are unsigned, so anyone could forge one. Unset it and set FIREBASE_PROJECT_ID to your real project.',
      });
    }
    if (!env.PREVIEW_CAPABILITY_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['PREVIEW_CAPABILITY_KEY'],
        message: 'must be set in production, the same for every API process (e.g. `openssl rand -hex 32`); it signs package reads for previews',
      });
    }
    if (!env.GATEWAY_SERVICE_TOKEN || env.GATEWAY_SERVICE_TOKEN === DEV_GATEWAY_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_SERVICE_TOKEN'],
        message: 'must be set to a long random secret in production (e.g. `openssl rand -hex 32`), the same for backend and worker',
      });
    }
  });
export type BackendEnv = z.infer<typeof backendEnvSchema>;

export const workerEnvSchema = z.object({
  ...shared,
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:8080/gateway/v1'),
  /** Tasks in parallel per worker process; unset: sized as it runs (a few per core, more while work waits and the CPU has room). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).optional(),
  /** The most tasks one worker process runs at once when it sizes itself. */
  WORKER_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  MODEL_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  DEFAULT_MODEL: optionalString,
  MAX_REPAIR_ATTEMPTS: z.coerce.number().int().min(0).max(5).default(1),
  /**
   * Type-check each patched project before review (about 50–150 ms of compiler time per check,
   * in worker threads). `off` for a deployment whose projects are not TypeScript.
   */
  TYPECHECK_PATCHES: z.enum(['on', 'off']).default('on'),
  /**
   * How long a task's lock lasts without renewal, and how often workers look for tasks whose
   * worker died: a killed worker's task is picked up by another after about this long.
   */
  WORKER_STALL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Parses an env object; on failure throws one error naming every bad variable and the fix. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>, processName: string): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`${processName}: invalid configuration\n${lines.join('\n')}\nSee the configuration table in README.md.`);
}

/** What the SPA needs to boot, served by the API so one build runs anywhere. */
export const clientConfigSchema = z.object({
  firebase: z.object({ apiKey: z.string(), authDomain: z.string(), projectId: z.string() }),
  authEmulatorUrl: z.string().nullable(),
  previewUrl: z.string().nullable(),
  /** Models of the free plan; signed-in users get theirs from GET /api/models. */
  models: z.array(z.object({ id: z.string(), provider: z.string(), name: z.string().optional() })),
  defaultModel: z.string().nullable(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
