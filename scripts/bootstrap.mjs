#!/usr/bin/env node
// Entry of `npm start` and `npm test` on a fresh clone: checks Node, installs the exact
// dependencies from package-lock.json when they are missing or stale, then hands over to the
// TypeScript script of the same name. Plain JS with no dependencies: it runs before any exist.
import { spawnSync, spawn } from 'node:child_process';
import { setInterval } from 'node:timers';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
if (!['start', 'test', 'report-reliability'].includes(command ?? '')) {
  console.error('usage: node scripts/bootstrap.mjs start|test|report-reliability [args]');
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Patchpad needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a current Node.js LTS and try again.`);
  process.exit(1);
}

const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.patchpad-install-stamp');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (want !== have) {
  console.log('[setup] installing dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[setup] npm ci failed; see the output above.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, want);
}

// Node with tsx's loader, not the tsx CLI: the CLI is a second process that relays signals and,
// when its child does not acknowledge one within 30 ms (a busy machine, mid start-up), SIGKILLs
// it. A Ctrl-C reaches it twice (from the terminal and from us below), and the killed script
// left every service it had started running.
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', `${command}.ts`), ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the child through the terminal's process group as well; a signal sent to us
// alone (kill <pid>) is passed on. The child's shutdown runs once however often it is asked.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
// `npm start` runs us under `sh -c`; a SIGTERM to npm (a process manager stopping it) kills
// npm and sh but never reaches us. Losing our parent is that signal: stop the child cleanly.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 500).unref();
