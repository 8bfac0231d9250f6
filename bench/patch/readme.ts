import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';

/**
 * The README's patch-bench section is RESULTS.md (without its title), between the
 * `patch-bench:start` and `patch-bench:end` markers, formatted by prettier with the repo's
 * settings so that `prettier --check` stays clean. Returns whether the README changed.
 */
export async function updateReadme(root: string, results: string): Promise<boolean> {
  const file = join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf('<!-- patch-bench:start');
  const end = readme.indexOf('<!-- patch-bench:end -->');
  if (start === -1 || end === -1) throw new Error('README.md has no patch-bench:start / patch-bench:end markers');
  const open = readme.indexOf('\n', start) + 1;
  const body = results.replace(/^## Patch engine benchmark\n+/, '').replace(/^### /gm, '#### ');
  const next = `${readme.slice(0, open)}\n${body.trim()}\n\n${readme.slice(end)}`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(next, { ...options, filepath: file });
  if (formatted === readme) return false;
  writeFileSync(file, formatted);
  return true;
}
