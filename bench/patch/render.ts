import type { RefHunk } from './corpus.js';

/** Renders reference hunks as a diff, with the knobs the corruptions need. */
export interface RenderOptions {
  oldPath: string | null; // null = /dev/null
  newPath: string | null;
  prefixes?: [string, string]; // default ['a/', 'b/']
  gitLine?: boolean; // `diff --git` line (default true)
  extra?: string[]; // extended header lines (new file mode, rename from, ...)
  numbers?: 'keep' | 'none';
  timestamps?: boolean;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

export function hunkHeader(h: RefHunk): string {
  // jsdiff keeps the line after an empty range; unified diffs name the line before it.
  const o = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
  const n = h.newLines === 0 ? h.newStart - 1 : h.newStart;
  return `@@ -${range(o, h.oldLines)} +${range(n, h.newLines)} @@`;
}

export function render(hunks: readonly RefHunk[], o: RenderOptions): string {
  const [pa, pb] = o.prefixes ?? ['a/', 'b/'];
  const ts = o.timestamps ? '\t2024-05-01 12:00:00.000000000 +0200' : '';
  const oldName = o.oldPath === null ? '/dev/null' : pa + o.oldPath;
  const newName = o.newPath === null ? '/dev/null' : pb + o.newPath;
  let out = '';
  if (o.gitLine !== false) out += `diff --git ${pa}${o.oldPath ?? o.newPath} ${pb}${o.newPath ?? o.oldPath}\n`;
  for (const e of o.extra ?? []) out += `${e}\n`;
  if (hunks.length > 0) out += `--- ${oldName}${ts}\n+++ ${newName}${ts}\n`;
  for (const h of hunks) {
    out += `${o.numbers === 'none' ? '@@ @@' : hunkHeader(h)}\n`;
    for (const l of h.lines) out += `${l}\n`;
  }
  return out;
}

/** The hunk's old side (context and removed lines, without prefixes). */
export function oldSide(h: RefHunk): string[] {
  return h.lines.filter((l) => l[0] === ' ' || l[0] === '-').map((l) => l.slice(1));
}

/** How many places in `lines` hold `block` exactly. */
export function occurrences(lines: readonly string[], block: readonly string[]): number {
  let count = 0;
  for (let s = 0; s + block.length <= lines.length; s++) {
    let ok = true;
    for (let i = 0; ok && i < block.length; i++) ok = lines[s + i] === block[i];
    if (ok) count++;
  }
  return count;
}
