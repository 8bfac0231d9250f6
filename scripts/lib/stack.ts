import { resolve } from 'node:path';
import { emulatorSpec, EMULATOR_PORT, EMULATOR_PROJECT, usesRealFirebase, waitForEmulator, authEmulatorAnswers } from './emulator';
import { isPortOpen, waitFor } from './net';
import { planRedis, waitForRedis } from './redis';
import { Supervisor, type ProcessSpec } from './supervisor';
import { ensureFrontendBuilt } from './build';
import { buildGateway, GATEWAY_NODE_FLAGS } from './build-gateway';

export type StackOptions = {
  root: string;
  /** Extra env for every process (tests pass ports, prefixes, a fake model upstream…). */
  env?: Record<string, string>;
  ports?: { web?: number; api?: number; preview?: number; gateway?: number };
  output?: (line: string) => void;
  onFatal?: (message: string) => void;
  /**
   * Aborting it while the stack is starting (Ctrl-C during start-up) stops what has started
   * and rejects: every process runs in its own group, so nothing else would stop them.
   */
  signal?: AbortSignal;
};

export type Stack = {
  webUrl: string;
  apiUrl: string;
  gatewayUrl: string;
  previewUrl: string;
  redisUrl: string;
  emulatorHost: string | null;
  stop: () => Promise<void>;
};

/**
 * Starts the whole app: Redis and the Auth emulator when needed, then backend, worker,
 * preview runtime and the SPA, and waits until each answers. Shared by `npm start` and the
 * end-to-end test so the test walks exactly what a user runs.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { root } = options;
  const env = { ...process.env, ...options.env } as Record<string, string | undefined>;
  const log = options.output ?? ((line: string) => console.log(line));
  const dataDir = resolve(root, env.DATA_DIR ?? '.data');
  const ports = {
    web: options.ports?.web ?? 5173,
    api: options.ports?.api ?? 8080,
    preview: options.ports?.preview ?? 5174,
    gateway: options.ports?.gateway ?? Number(env.GATEWAY_PORT ?? 8081),
  };

  for (const [name, port] of Object.entries(ports)) {
    if (await isPortOpen('127.0.0.1', port)) throw new Error(`port ${port} (${name}) is already in use; stop what uses it or set ${name.toUpperCase()}_PORT`);
  }

  const redis = await planRedis(dataDir, env);
  const infra: ProcessSpec[] = redis.spec ? [redis.spec] : [];
  let emulatorHost: string | null = null;
  if (!usesRealFirebase(env)) {
    emulatorHost = env.FIREBASE_AUTH_EMULATOR_HOST ?? `127.0.0.1:${EMULATOR_PORT}`;
    if (!(await authEmulatorAnswers(emulatorHost))) {
      if (env.FIREBASE_AUTH_EMULATOR_HOST) throw new Error(`FIREBASE_AUTH_EMULATOR_HOST=${emulatorHost} does not answer`);
      infra.push(emulatorSpec(root));
    }
  }

  ensureFrontendBuilt(root, (l) => log(`[setup] ${l}`));
  // The model gateway runs as its own small process, built to plain JS (well under a second).
  const gatewayEntry = await buildGateway(root);
  options.signal?.throwIfAborted();

  const webUrl = `http://localhost:${ports.web}`;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  // One origin per project: Chromium resolves every *.localhost name to loopback.
  const previewUrl = env.PUBLIC_PREVIEW_URL ?? `http://*.preview.localhost:${ports.preview}`;
  const common: Record<string, string | undefined> = {
    ...options.env,
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
    ...(emulatorHost ? { FIREBASE_AUTH_EMULATOR_HOST: emulatorHost, FIREBASE_PROJECT_ID: env.FIREBASE_PROJECT_ID ?? EMULATOR_PROJECT } : {}),
  };
  // `node --import tsx`, not the tsx CLI: the CLI would sit between the supervisor's SIGTERM and
  // the service, and SIGKILL a service that takes more than 30 ms to acknowledge it, cutting its
  // graceful shutdown short.
  const withTsx = (entry: string) => ({ command: process.execPath, args: ['--import', 'tsx', entry] });
  const apps: ProcessSpec[] = [
    {
      name: 'backend',
      ...withTsx('backend/src/main.ts'),
      cwd: root,
      restart: true,
      env: { ...common, PORT: String(ports.api), CORS_ORIGINS: env.CORS_ORIGINS ?? webUrl, PUBLIC_PREVIEW_URL: previewUrl },
    },
    {
      name: 'gateway',
      command: process.execPath,
      args: [...GATEWAY_NODE_FLAGS, gatewayEntry],
      cwd: root,
      restart: true,
      env: { ...common, GATEWAY_PORT: String(ports.gateway) },
    },
    {
      name: 'worker',
      ...withTsx('worker/src/main.ts'),
      cwd: root,
      restart: true,
      env: { ...common, GATEWAY_URL: env.GATEWAY_URL ?? `${gatewayUrl}/gateway/v1` },
    },
    {
      name: 'preview',
      ...withTsx('frontend/preview-runtime/server/main.ts'),
      cwd: root,
      restart: true,
      env: { ...common, PREVIEW_PORT: String(ports.preview), PREVIEW_ALLOWED_PARENT_ORIGINS: env.PREVIEW_ALLOWED_PARENT_ORIGINS ?? webUrl },
    },
    {
      name: 'web',
      command: resolve(root, 'node_modules/.bin/vite'),
      args: ['preview', '--port', String(ports.web), '--strictPort'],
      cwd: resolve(root, 'frontend'),
      restart: true,
      env: { ...common, BACKEND_URL: apiUrl, PUBLIC_PREVIEW_URL: previewUrl },
    },
  ];

  let fatal: string | null = null;
  const supervisor = new Supervisor(
    [...infra, ...apps],
    (message) => {
      fatal = message;
      options.onFatal?.(message);
    },
    { output: log },
  );
  supervisor.startAll();
  const dead = (name: string) => () => fatal ?? (options.signal?.aborted ? 'start-up was cancelled' : null) ?? supervisor.exited(name);
  try {
    if (redis.port) await waitForRedis(redis.port, dead('redis'));
    if (infra.some((s) => s.name === 'auth')) await waitForEmulator(dead('auth'));
    await waitFor('backend', () => httpOk(`${apiUrl}/health`), 60_000, dead('backend'));
    await waitFor('gateway', () => httpOk(`${gatewayUrl}/health`), 60_000, dead('gateway'));
    await waitFor('preview runtime', () => httpOk(`http://127.0.0.1:${ports.preview}`), 60_000, dead('preview'));
    await waitFor('web', () => httpOk(webUrl), 60_000, dead('web'));
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
  return { webUrl, apiUrl, gatewayUrl, previewUrl, redisUrl: redis.url, emulatorHost, stop: () => supervisor.stop() };
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
