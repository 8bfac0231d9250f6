import { resolve } from 'node:path';
import { isPortOpen, waitFor } from './net';
import type { ProcessSpec } from './supervisor';

export const EMULATOR_PROJECT = 'demo-patchpad';
export const EMULATOR_PORT = 9099;

/** Real Firebase is configured when a web API key and a non-demo project id are set. */
export function usesRealFirebase(env = process.env): boolean {
  return Boolean(env.FIREBASE_API_KEY && env.FIREBASE_PROJECT_ID && !env.FIREBASE_PROJECT_ID.startsWith('demo-'));
}

/** True when the Firebase Auth emulator (not just anything) answers at host:port. */
export async function authEmulatorAnswers(hostPort: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${hostPort}/`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { authEmulator?: unknown };
    return Boolean(body.authEmulator);
  } catch {
    return false;
  }
}

/**
 * The Auth emulator from firebase-tools (a dev dependency): offline, no login, no Java.
 * CI=true silences its update check and message-of-the-day fetch; the UI stays off in
 * firebase.json (with it on, the emulator tries to download a zip and dies).
 */
export function emulatorSpec(root: string): ProcessSpec {
  return {
    name: 'auth',
    command: resolve(root, 'node_modules/.bin/firebase'),
    args: ['emulators:start', '--only', 'auth', '--project', EMULATOR_PROJECT, '--config', resolve(root, 'firebase.json')],
    cwd: root,
    env: { CI: 'true', FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true' },
    restart: false,
  };
}

export async function waitForEmulator(isDead: () => string | null): Promise<void> {
  await waitFor(
    'Firebase Auth emulator',
    async () => (await isPortOpen('127.0.0.1', EMULATOR_PORT)) && authEmulatorAnswers(`127.0.0.1:${EMULATOR_PORT}`),
    90_000,
    isDead,
  );
}
