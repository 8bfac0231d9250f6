import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authEmulatorAnswers, emulatorSpec, EMULATOR_PORT, waitForEmulator } from './emulator';
import { planRedis, waitForRedis } from './redis';
import { Supervisor, type ProcessSpec } from './supervisor';

export type TestServices = { redisUrl: string; redisSource: string; emulatorHost: string; env: NodeJS.ProcessEnv };

/**
 * Redis and the Firebase Auth emulator for tests and reports: the ones already running, else
 * started here (and stopped again after `fn`).
 */
export async function withTestServices<T>(root: string, log: (line: string) => void, fn: (services: TestServices) => Promise<T>): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), 'patchpad-services-'));
  const redis = await planRedis(scratch);
  const specs: ProcessSpec[] = redis.spec ? [redis.spec] : [];
  const emulatorHost = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? `127.0.0.1:${EMULATOR_PORT}`;
  if (!(await authEmulatorAnswers(emulatorHost))) specs.push(emulatorSpec(root));
  const supervisor = new Supervisor(specs, (m) => log(`service stopped: ${m}`), { output: (l) => process.env.TEST_VERBOSE && console.log(l) });
  supervisor.startAll();
  try {
    if (redis.port) await waitForRedis(redis.port, () => supervisor.exited('redis'));
    if (specs.some((s) => s.name === 'auth')) {
      log('starting the Firebase Auth emulator (~15 s)…');
      await waitForEmulator(() => supervisor.exited('auth'));
    }
    log(`Redis ${redis.url} (${redis.source}); Auth emulator ${emulatorHost}`);
    const env = { ...process.env, REDIS_URL: redis.url, FIREBASE_AUTH_EMULATOR_HOST: emulatorHost, FIREBASE_PROJECT_ID: 'demo-patchpad' };
    return await fn({ redisUrl: redis.url, redisSource: redis.source, emulatorHost, env });
  } finally {
    await supervisor.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
