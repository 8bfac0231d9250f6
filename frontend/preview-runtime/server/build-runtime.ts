import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DIST_DIR } from './server';

/** Building the runtime from Node (the preview process, tests, the benchmark). */

export const RUNTIME_DIR = resolve(DEFAULT_DIST_DIR, '..');
export const BUILD_COMMAND = 'npm run build -w frontend   (or: cd frontend && npx vite build --config preview-runtime/vite.config.ts)';

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist' || name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Whether `dist/` is missing or older than the runtime's sources. */
export function runtimeIsStale(distDir = DEFAULT_DIST_DIR): boolean {
  const page = join(distDir, 'index.html');
  if (!existsSync(page) || !existsSync(join(distDir, 'packages', 'manifest.json'))) return true;
  const inputs = ['src', 'packages', 'index.html', 'vite.config.ts'].map((p) => join(RUNTIME_DIR, p)).filter(existsSync);
  return Math.max(...inputs.map(newestMtime)) > statSync(page).mtimeMs;
}

/** Runs the runtime's vite build (which also builds the package cache). */
export async function buildRuntime(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(RUNTIME_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

export async function ensureRuntimeBuilt(): Promise<void> {
  if (runtimeIsStale()) await buildRuntime();
}
