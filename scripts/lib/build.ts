import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * Builds the SPA and the preview runtime unless the last build is newer than every source
 * it depends on. `npm start` pays for the build once, not on every start.
 */
export function ensureFrontendBuilt(root: string, log: (line: string) => void): void {
  const stamp = resolve(root, 'frontend/dist/.build-stamp');
  const sources = ['frontend/src', 'frontend/index.html', 'frontend/vite.config.ts', 'frontend/preview-runtime', 'shared/src', 'package-lock.json'];
  const newest = Math.max(...sources.map((s) => newestMtime(resolve(root, s))));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
  log('building the frontend and the preview runtime (first start or sources changed; ~1 min)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'frontend'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('frontend build failed; see the output above');
  writeFileSync(stamp, new Date().toISOString());
}
