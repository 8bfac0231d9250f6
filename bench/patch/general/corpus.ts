import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedPackages, plausible, walk, type SourceFile } from '../corpus.js';
import { stableChance, stableOrder, type Rng } from '../rng.js';

/**
 * The generalisation corpus: real source files the tuning corpus never sees. Packages the
 * tuning corpus drew from are excluded; the kinds the tuning corpus lacks are sought out:
 * tab-indented files, CRLF files (some real, some converted), JSX/TSX (a pinned snapshot of
 * Patchpad's own components, vendored as .txt so no tool treats them as code), and long files
 * (2,500-6,000 lines) where blocks repeat.
 */

export type CorpusKind = 'tabs' | 'spaces' | 'crlf' | 'jsx' | 'long';

export interface GeneralFile extends SourceFile {
  kind: CorpusKind;
}

const here = dirname(fileURLToPath(import.meta.url));

function packageOf(path: string): string {
  const parts = path.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function indentKind(text: string): 'tabs' | 'spaces' {
  const tabs = (text.match(/^\t/gm) ?? []).length;
  const spaces = (text.match(/^ {2}/gm) ?? []).length;
  return tabs > spaces ? 'tabs' : 'spaces';
}

/** Quotas per kind; the rest of the files fill in with plain space-indented sources. */
const QUOTA: Record<CorpusKind, number> = { tabs: 30, spaces: 30, crlf: 25, jsx: 10, long: 15 };

export function loadGeneralCorpus(root: string, rng: Rng, tuningPaths: readonly string[]): GeneralFile[] {
  const nm = join(root, 'node_modules');
  const excluded = new Set(tuningPaths.map(packageOf));
  // Orders keyed by each file's path (see stableOrder): the sample does not depend on what
  // else happens to be installed.
  const salt = rng.int(0, 2 ** 31);
  const rel = (f: string) => relative(nm, f).replace(/\\/g, '/');
  const candidates: string[] = [];
  for (const p of installedPackages(nm)) {
    if (excluded.has(p)) continue;
    const files: string[] = [];
    walk(join(nm, p), 4, files, 400_000);
    candidates.push(...stableOrder(files, salt, rel).slice(0, 6));
  }
  const out: GeneralFile[] = [];
  const count: Record<CorpusKind, number> = { tabs: 0, spaces: 0, crlf: 0, jsx: 0, long: 0 };
  const take = (f: GeneralFile) => {
    if (count[f.kind] >= QUOTA[f.kind]) return;
    count[f.kind]++;
    out.push(f);
  };
  for (const file of stableOrder(candidates, salt + 1, rel)) {
    const text = readFileSync(file, 'utf8');
    const path = rel(file);
    if (text.includes('\r\n')) {
      if (plausible(text.replace(/\r\n/g, '\n'), 40, 2500)) take({ path, text, kind: 'crlf' });
      continue;
    }
    if (text.includes('\r')) continue;
    if (plausible(text, 2500, 6000)) take({ path, text, kind: 'long' });
    else if (plausible(text, 60, 2500)) {
      const kind = indentKind(text);
      // Converted CRLF files fill the CRLF quota, since real ones are rare in node_modules.
      if (kind === 'spaces' && count.spaces >= QUOTA.spaces && stableChance(salt, path, 0.5)) take({ path, text: text.replace(/\n/g, '\r\n'), kind: 'crlf' });
      else take({ path, text, kind });
    }
  }
  for (const name of readdirSync(join(here, 'jsx')).sort()) {
    take({ path: `app/src/components/${name.replace(/\.txt$/, '')}`, text: readFileSync(join(here, 'jsx', name), 'utf8'), kind: 'jsx' });
  }
  for (const file of ['@react-hook/intersection-observer/src/index.tsx', '@react-hook/passive-layout-effect/src/index.tsx']) {
    const full = join(nm, file);
    try {
      take({ path: file, text: readFileSync(full, 'utf8'), kind: 'jsx' });
    } catch {
      // Not installed: the vendored components still cover JSX.
    }
  }
  return out;
}
