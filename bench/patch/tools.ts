import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as jsdiff from 'diff';
import { applyPatch, extractDiff } from '../../shared/src/patch/index.js';
import type { Case } from './categories.js';

/** What a tool did with a case: its resulting file set, or null when it reported failure. */
export type ToolResult = Record<string, string> | null;

export interface Tool {
  name: string;
  /** Spawns processes: run on a subsample. */
  slow: boolean;
  run(c: Case, index: number): ToolResult;
}

function present(files: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) if (v !== null) out[k] = v;
  return out;
}

/** The product path: find the diff in the answer, apply it, all or nothing. */
export const engine: Tool = {
  name: 'patchpad',
  slow: false,
  run(c) {
    try {
      const r = applyPatch(c.files, extractDiff(c.patch) ?? c.patch);
      return r.ok ? present(r.files) : null;
    } catch {
      return null;
    }
  },
};

function stripName(name: string | undefined): string | null {
  if (name === undefined) return null;
  const p = name.split('\t')[0]!.trim();
  if (p === '/dev/null') return '/dev/null';
  return p.replace(/^[ab]\//, '').replace(/^\.\//, '');
}

function jsdiffTool(fuzzFactor: number): Tool {
  return {
    name: fuzzFactor === 0 ? 'jsdiff' : `jsdiff fuzz=${fuzzFactor}`,
    slow: false,
    run(c) {
      try {
        const parsed = jsdiff.parsePatch(c.patch);
        if (parsed.length === 0 || parsed.every((p) => p.hunks.length === 0)) return null;
        const out: Record<string, string> = { ...c.files };
        for (const fp of parsed) {
          const oldName = stripName(fp.oldFileName);
          const newName = stripName(fp.newFileName);
          if (oldName === null || newName === null) return null;
          const source = oldName === '/dev/null' ? '' : out[oldName];
          if (source === undefined) return null;
          const res = jsdiff.applyPatch(source, fp, { fuzzFactor });
          if (res === false) return null;
          if (oldName !== '/dev/null' && oldName !== newName) delete out[oldName];
          if (newName !== '/dev/null') out[newName] = res;
        }
        return out;
      } catch {
        return null;
      }
    },
  };
}

export const jsdiffStrict = jsdiffTool(0);
export const jsdiffFuzzy = jsdiffTool(2);

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

function readTree(dir: string, root = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) readTree(full, root, out);
    else out[relative(root, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

/** -p1 when the headers carry git's a/ b/ prefixes, else -p0 (what a careful user would pick). */
function stripLevel(patch: string): string {
  return /^\+\+\+ b\//m.test(patch) || /^--- a\//m.test(patch) ? '-p1' : '-p0';
}

/** Runs a command-line applier in a fresh directory per case (under one temp root per tool). */
function processTool(name: string, command: (patchFile: string, patch: string) => [string, string[]]): Tool & { cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), `patchpad-bench-${name.replace(/\W+/g, '-')}-`));
  let runs = 0; // one folder per run: the tool runs on more than one set of cases
  return {
    name,
    slow: true,
    run(c) {
      const index = runs++;
      const dir = join(root, `case-${index}`);
      mkdirSync(dir);
      writeTree(dir, c.files);
      const patchFile = join(root, `case-${index}.diff`);
      writeFileSync(patchFile, c.patch);
      const [cmd, args] = command(patchFile, c.patch);
      const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, GIT_CEILING_DIRECTORIES: root, LC_ALL: 'C' } });
      return r.status === 0 ? readTree(dir) : null;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function gnuPatch() {
  return processTool('GNU patch', (file, patch) => [
    'patch',
    [stripLevel(patch), '--batch', '--forward', '--no-backup-if-mismatch', '--reject-file=-', '--silent', '-i', file],
  ]);
}

export function gitApply() {
  return processTool('git apply', (file, patch) => ['git', ['apply', '--recount', '--ignore-whitespace', stripLevel(patch), file]]);
}
