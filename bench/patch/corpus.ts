import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { structuredPatch } from 'diff';
import { stableOrder, type Rng } from './rng.js';

/**
 * Real source files from installed packages, and realistic edits of them. The reference diff
 * of each edit is made by jsdiff (not by the engine under test).
 */

export interface SourceFile {
  path: string;
  text: string;
}

const EXT = /\.(js|mjs|cjs|ts|tsx|jsx)$/;

/**
 * Source files under `dir`, `depth` folders down, in name order: no .d.ts, no .min., none of
 * `maxBytes` or more; at most `limit`.
 */
export function walk(dir: string, depth: number, out: string[], maxBytes: number, limit = Infinity): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    if (out.length >= limit) return;
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    let st;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    if (st.isDirectory() && depth > 0) walk(full, depth - 1, out, maxBytes, limit);
    else if (st.isFile() && EXT.test(name) && !name.endsWith('.d.ts') && !name.includes('.min.') && st.size < maxBytes) out.push(full);
  }
}

/** Plausible hand-written source of `minLines` to `maxLines` lines: not minified, not a generated table. */
export function plausible(text: string, minLines: number, maxLines: number): boolean {
  const lines = text.split('\n');
  if (lines.length < minLines || lines.length > maxLines) return false;
  const long = lines.filter((l) => l.length > 160).length;
  const blank = lines.filter((l) => l.trim() === '').length;
  return long < lines.length * 0.02 && blank > lines.length * 0.03;
}

/** The packages installed in `nm` (scoped ones as `@scope/name`), in name order. */
export function installedPackages(nm: string): string[] {
  return (
    readdirSync(nm)
      .filter((p) => !p.startsWith('.')) // .bin, .package-lock.json, caches: not packages
      .sort()
      .flatMap((p) =>
        p.startsWith('@')
          ? readdirSync(join(nm, p))
              .sort()
              .map((s) => join(p, s))
          : [p],
      )
      // Installed packages only: workspace links (our own code, which changes) are symlinks.
      .filter((p) => !lstatSync(join(nm, p)).isSymbolicLink())
  );
}

export function loadCorpus(root: string, rng: Rng, count: number): SourceFile[] {
  const nm = join(root, 'node_modules');
  const candidates: string[] = [];
  for (const p of installedPackages(nm)) {
    const files: string[] = [];
    walk(join(nm, p), 3, files, 120_000, 4);
    candidates.push(...files);
  }
  const out: SourceFile[] = [];
  for (const file of stableOrder(candidates, rng.int(0, 2 ** 31), (f) => relative(nm, f))) {
    if (out.length >= count) break;
    const text = readFileSync(file, 'utf8');
    if (text.includes('\r') || !plausible(text, 60, 2500)) continue;
    out.push({ path: relative(nm, file).replace(/\\/g, '/'), text });
  }
  return out;
}

/** One edit site: lines [at, at+del) replaced by `ins`. */
interface Site {
  at: number;
  del: number;
  ins: string[];
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function tweakLine(line: string, rng: Rng): string {
  const ident = /[A-Za-z_]\w{2,}/g;
  const words = [...line.matchAll(ident)];
  if (words.length > 0 && rng.chance(0.6)) {
    const w = rng.pick(words);
    return line.slice(0, w.index) + `${w[0]}${rng.pick(['Next', 'Value', '2', 'Ref', 'Safe'])}` + line.slice(w.index! + w[0].length);
  }
  return `${line} // ${rng.pick(['TODO: check', 'keep in sync', 'see issue 42', 'patched'])}`;
}

function makeSite(lines: string[], at: number, rng: Rng): Site {
  const line = lines[at]!;
  const donor = () => {
    const d = lines[rng.int(0, lines.length - 1)]!;
    return d.trim() === '' ? d : indentOf(line) + d.trimStart();
  };
  switch (rng.int(0, 3)) {
    case 0:
      return { at, del: 1, ins: [tweakLine(line, rng)] };
    case 1:
      return { at: at + 1, del: 0, ins: Array.from({ length: rng.int(1, 4) }, donor) };
    case 2:
      return { at, del: rng.int(1, 3), ins: [] };
    default:
      return { at, del: rng.int(2, 3), ins: Array.from({ length: rng.int(1, 3) }, donor) };
  }
}

/** A realistic edit of a file: 1–4 change sites, spread out, on non-blank lines. */
export function editFile(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const n = lines.length;
  const count = rng.int(1, 4);
  const sites: Site[] = [];
  for (let tries = 0; sites.length < count && tries < 50; tries++) {
    const at = rng.int(3, n - 8);
    if (lines[at]!.trim() === '' || sites.some((s) => Math.abs(s.at - at) < 12)) continue;
    sites.push(makeSite(lines, at, rng));
  }
  sites.sort((a, b) => b.at - a.at);
  for (const s of sites) lines.splice(s.at, s.del, ...s.ins);
  return lines.join('\n');
}

export interface RefHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** jsdiff's hunks for before → after (3 lines of context). */
export function referenceHunks(before: string, after: string): RefHunk[] {
  return structuredPatch('x', 'x', before, after, '', '', { context: 3 }).hunks.map((h) => ({ ...h, lines: [...h.lines] }));
}
