import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTestServices } from './lib/services';

/**
 * `npm test`: typecheck, lint, then every vitest project (unit, integration, browser) with
 * what they need running — Redis, the Firebase Auth emulator, Debian chromium — started
 * here when it is not already there, and stopped again at the end.
 * Extra arguments go to vitest (e.g. `npm test -- --project unit`), and skip the static checks.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vitestArgs = process.argv.slice(2);
const log = (line: string) => console.log(`[test] ${line}`);

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  log(`${name}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

function ensureChromium(): void {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && spawnSync('apt-get', ['--version']).status === 0) {
    log('installing Debian chromium for the browser tests (apt-get)…');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const ok = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (ok.status === 0 && existsSync(path)) return;
  }
  if (process.env.CI) throw new Error(`chromium is missing at ${path} and could not be installed`);
  log(`WARNING: no chromium at ${path}; browser tests will be skipped. Install it (apt install chromium) or set CHROMIUM_PATH.`);
}

async function main(): Promise<number> {
  if (vitestArgs.length === 0) {
    const tsc = join(root, 'node_modules/.bin/tsc');
    // '.': scripts, benchmarks and test support, which tsx runs without checking types.
    for (const ws of ['shared', 'backend', 'worker', 'frontend', 'frontend/preview-runtime', '.']) {
      if (existsSync(join(root, ws, 'tsconfig.json')) && run(`typecheck ${ws === '.' ? 'tools' : ws}`, tsc, ['-p', ws]) !== 0) return 1;
    }
    if (run('lint', join(root, 'node_modules/.bin/eslint'), ['.', '--max-warnings=0']) !== 0) return 1;
    if (run('format check', join(root, 'node_modules/.bin/prettier'), ['--check', '.', '--log-level=warn']) !== 0) return 1;
  }
  ensureChromium();

  return withTestServices(root, log, async ({ env }) => {
    const scratch = mkdtempSync(join(tmpdir(), 'patchpad-test-'));
    try {
      const report = join(scratch, 'vitest.json');
      const code = run(
        'vitest',
        join(root, 'node_modules/.bin/vitest'),
        ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs],
        env,
      );
      if (existsSync(report)) {
        const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
        console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
      }
      return code;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[test] ${err.message}`);
    process.exit(1);
  },
);
