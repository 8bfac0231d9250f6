import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { backendEnvSchema, parseEnv, workerEnvSchema } from '@patchpad/shared';
import { GATEWAY_ENTRY, GATEWAY_NODE_FLAGS } from '../scripts/lib/build-gateway';

/**
 * No Docker engine runs here, so this keeps docker-compose.yml honest against the code:
 * service names, ports, commands that exist, and env that each process's own schema accepts.
 */
type Service = {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  image?: string;
  build?: string;
  working_dir?: string;
};
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const firebase = JSON.parse(readFileSync(new URL('../firebase.json', import.meta.url), 'utf8')) as { emulators: { auth: { port: number } } };

/** Resolves `${VAR:-default}` the way compose does with an empty environment. */
function resolved(env: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
}
const svc = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no "${name}" service`);
  return s;
};

describe('docker-compose.yml', () => {
  it('has every process of the product', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'auth', 'backend', 'gateway', 'preview', 'redis', 'web', 'worker']);
  });

  it('runs Redis with AOF and noeviction, as the queue and quotas need', () => {
    const command = svc('redis').command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('starts commands that exist in the repository', () => {
    for (const name of ['backend', 'worker', 'preview']) {
      const file = svc(name).command!.at(-1)!;
      expect(existsSync(new URL(`../${file}`, import.meta.url)), `${name}: ${file}`).toBe(true);
    }
  });

  it('runs the gateway from the build the image makes, with the flags npm start and start:gateway use', () => {
    const command = svc('gateway').command!;
    expect(command.at(-1)).toBe(GATEWAY_ENTRY);
    expect(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')).toMatch(/npm run build:gateway/);
    expect(command.slice(1, -1)).toEqual(GATEWAY_NODE_FLAGS);
    const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:gateway']).toContain(`node ${GATEWAY_NODE_FLAGS.join(' ')} ${GATEWAY_ENTRY}`);
    const gateway = resolved(svc('gateway').environment);
    expect(() => parseEnv(backendEnvSchema, gateway, 'gateway')).not.toThrow();
    // Scalable: no host port, reached by name.
    expect(svc('gateway').ports).toBeUndefined();
    expect(svc('gateway').expose).toContain(gateway.GATEWAY_PORT);
    expect(resolved(svc('worker').environment).GATEWAY_URL).toBe(`http://gateway:${gateway.GATEWAY_PORT}/gateway/v1`);
    expect(gateway.GATEWAY_SERVICE_TOKEN).toBe(resolved(svc('worker').environment).GATEWAY_SERVICE_TOKEN);
  });

  it('gives backend and worker an environment their own schemas accept, with no unknown variables', () => {
    const backend = resolved(svc('backend').environment);
    const worker = resolved(svc('worker').environment);
    const backendKeys = new Set(Object.keys(backendEnvSchema.shape));
    const workerKeys = new Set(Object.keys(workerEnvSchema.shape));
    expect(Object.keys(backend).filter((k) => !backendKeys.has(k))).toEqual([]);
    expect(Object.keys(worker).filter((k) => !workerKeys.has(k))).toEqual([]);
    expect(() => parseEnv(backendEnvSchema, backend, 'backend')).not.toThrow();
    expect(() => parseEnv(workerEnvSchema, worker, 'worker')).not.toThrow();
    expect(backend.GATEWAY_SERVICE_TOKEN).toBe(worker.GATEWAY_SERVICE_TOKEN);
    expect(backend.REDIS_URL).toBe(worker.REDIS_URL);
  });

  it('wires ports and addresses between services consistently', () => {
    const backend = resolved(svc('backend').environment);
    expect(backend.HOST).toBe('0.0.0.0');
    // Backend replicas sit behind one entry point: nginx proxies the published port to backend:PORT.
    expect(svc('backend').ports).toBeUndefined();
    expect(svc('backend').expose).toContain(backend.PORT);
    expect(svc('api').ports).toContain(`${backend.PORT}:${backend.PORT}`);
    const nginx = readFileSync(new URL('../docker/nginx.conf', import.meta.url), 'utf8');
    expect(svc('api').volumes).toContain('./docker/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(nginx).toContain(`listen ${backend.PORT};`);
    expect(nginx).toContain(`set $backend http://backend:${backend.PORT};`);
    expect(nginx).toMatch(/proxy_buffering off;/);
    expect(backend.TRUST_PROXY).toBe('uniquelocal');
    expect(resolved(svc('web').environment).BACKEND_URL).toBe(`http://api:${backend.PORT}`);
    expect(backend.FIREBASE_AUTH_EMULATOR_HOST).toBe(`auth:${firebase.emulators.auth.port}`);
    expect(svc('auth').ports).toContain(`${firebase.emulators.auth.port}:${firebase.emulators.auth.port}`);
    const previewPort = resolved(svc('preview').environment).PREVIEW_PORT;
    expect(svc('preview').ports).toContain(`${previewPort}:${previewPort}`);
    expect(new URL(backend.PUBLIC_PREVIEW_URL!).port).toBe(previewPort);
    expect(svc('web').ports).toContain('5173:5173');
    expect(backend.CORS_ORIGINS).toBe('http://localhost:5173');
  });

  it('runs the Auth emulator reachable from other containers, and tells browsers the published address', () => {
    const command = svc('auth').command!;
    const config = JSON.parse(readFileSync(new URL(`../${command[command.indexOf('--config') + 1]}`, import.meta.url), 'utf8'));
    expect(config.emulators.auth).toEqual({ host: '0.0.0.0', port: firebase.emulators.auth.port });
    expect(config.emulators.ui).toEqual({ enabled: false });
    const backend = resolved(svc('backend').environment);
    expect(backend.PUBLIC_AUTH_EMULATOR_URL).toBe(`http://127.0.0.1:${firebase.emulators.auth.port}`);
    // The SPA's CSP (vite preview) must allow the address browsers are given.
    expect(`http://${resolved(svc('web').environment).FIREBASE_AUTH_EMULATOR_HOST}`).toBe(backend.PUBLIC_AUTH_EMULATOR_URL);
  });

  it('keeps the preview on a different site than the IDE', () => {
    const backend = resolved(svc('backend').environment);
    expect(new URL(backend.PUBLIC_PREVIEW_URL!).hostname).not.toBe(new URL(backend.CORS_ORIGINS!).hostname);
  });
});
