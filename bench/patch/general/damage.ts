import type { RefHunk } from '../corpus.js';
import type { Rng } from '../rng.js';
import type { OldItem } from './oracle.js';

/** Damage done to reference hunks the way the issue describes models doing it. */

const isOld = (l: string) => l[0] === ' ' || l[0] === '-';

/** A change of indentation style, as a function on a line's leading whitespace. */
export type Restyle = { name: string; apply: (indent: string) => string };

export function restylesFor(unit: string): Restyle[] {
  if (unit === '\t') {
    return [2, 4, 8].map((n) => ({ name: `tab→${n} spaces`, apply: (i: string) => i.replace(/\t/g, ' '.repeat(n)) }));
  }
  // Levels convert; spaces short of a level (a doc comment's ` * `, alignment) stay, as an
  // editor's "convert indentation" does.
  const n = unit.length;
  const other = n === 2 ? 4 : 2;
  return [
    { name: `${n}→${other} spaces`, apply: (i: string) => ' '.repeat(Math.floor(i.length / n) * other + (i.length % n)) },
    { name: `${n} spaces→tab`, apply: (i: string) => '\t'.repeat(Math.floor(i.length / n)) + ' '.repeat(i.length % n) },
  ];
}

function restyleLine(body: string, r: Restyle): string {
  const indent = /^[ \t]*/.exec(body)![0];
  return body.trim() === '' ? body : r.apply(indent) + body.slice(indent.length);
}

/** Re-indents old lines (and added lines too when `all`) with a style change. */
export function driftStyle(hunks: RefHunk[], r: Restyle, all: boolean): RefHunk[] {
  return hunks.map((h) => ({ ...h, lines: h.lines.map((l) => (isOld(l) || (all && l[0] === '+') ? l[0] + restyleLine(l.slice(1), r) : l)) }));
}

/** Shifts old lines one level deeper (the model's context sits a level too deep; its added lines do not). */
export function driftShift(hunks: RefHunk[], unit: string): RefHunk[] {
  return hunks.map((h) => ({ ...h, lines: h.lines.map((l) => (isOld(l) && l.slice(1).trim() !== '' ? l[0] + unit + l.slice(1) : l)) }));
}

export function oldItems(h: RefHunk, gaps: ReadonlyMap<number, 0 | 2 | 'any'> = new Map()): OldItem[] {
  const out: OldItem[] = [];
  h.lines.forEach((l, i) => {
    if (isOld(l)) out.push({ text: l.slice(1), gapBefore: gaps.get(i) ?? 0 });
  });
  return out;
}

/**
 * Drops 1-2 context lines from inside a hunk (not its first or last line). Returns the damaged
 * hunk, the oracle items, and whether an added line touches a dropped line, which leaves the
 * place of that insertion open (the right answer is then a refusal).
 */
export function dropContext(h: RefHunk, rng: Rng): { hunk: RefHunk; items: OldItem[]; insertionOpen: boolean } | null {
  const inner = h.lines.map((l, i) => i).filter((i) => i > 0 && i < h.lines.length - 1 && h.lines[i]![0] === ' ' && h.lines[i]!.trim() !== '');
  if (inner.length === 0) return null;
  const drop = new Set(rng.shuffle([...inner]).slice(0, rng.int(1, Math.min(2, inner.length))));
  const lines: string[] = [];
  const items: OldItem[] = [];
  let gap = false;
  let insertionOpen = false;
  h.lines.forEach((l, i) => {
    if (drop.has(i)) {
      gap = true;
      if (h.lines[i - 1]?.[0] === '+' || h.lines[i + 1]?.[0] === '+') insertionOpen = true;
      return;
    }
    lines.push(l);
    if (isOld(l)) {
      items.push({ text: l.slice(1), gapBefore: gap ? 2 : 0 });
      gap = false;
    }
  });
  return { hunk: { ...h, lines }, items, insertionOpen };
}

export const MARKERS = ['// ... existing code ...', '...', '// ...', '/* ... */', '// ... rest unchanged ...'];
export const JSX_MARKERS = ['{/* ... */}', '{/* ... existing code ... */}'];

/**
 * Replaces a run of context lines (at least one line away from any change, or at an edge) by
 * an elision marker, prefixed as context or not at all.
 */
export function elide(h: RefHunk, marker: string, prefixed: boolean, rng: Rng): { hunk: RefHunk; items: OldItem[] } | null {
  const runs: Array<[number, number]> = [];
  let s = -1;
  h.lines.forEach((l, i) => {
    if (l[0] === ' ' && s === -1) s = i;
    if (l[0] !== ' ' && s !== -1) {
      runs.push([s, i]);
      s = -1;
    }
  });
  if (s !== -1) runs.push([s, h.lines.length]);
  const long = runs.filter(([a, b]) => b - a >= 3);
  if (long.length === 0) return null;
  const [a, b] = rng.pick(long);
  // Keep one line of context next to a change so the marker does not touch it.
  const from = a === 0 ? 0 : a + 1;
  const to = b === h.lines.length ? b : b - 1;
  if (to - from < 1 || (from === 0 && to === h.lines.length)) return null;
  const cutFrom = from + rng.int(0, Math.max(0, to - from - 1));
  const cutTo = rng.int(cutFrom + 1, to);
  const indent = /^[ \t]*/.exec(h.lines[cutFrom]!.slice(1))![0];
  const lines = [...h.lines.slice(0, cutFrom), `${prefixed ? ' ' : ''}${indent}${marker}`, ...h.lines.slice(cutTo)];
  const items: OldItem[] = [];
  let after = false;
  lines.forEach((l, i) => {
    if (i === cutFrom) return void (after = true);
    if (isOld(l)) {
      items.push({ text: l.slice(1), gapBefore: after ? 'any' : 0 });
      after = false;
    }
  });
  return { hunk: { ...h, lines }, items };
}

/** Path header variants that name one project file in an unusual way. */
export type PathStyle = 'mnemonic' | 'old_new' | 'leading_slash' | 'dot_slash' | 'backslashes' | 'folder_prefix' | 'other_root' | 'case';

export function oddPath(path: string, style: PathStyle): [string, string] {
  switch (style) {
    case 'mnemonic':
      return [`i/${path}`, `w/${path}`];
    case 'old_new':
      return [`old/${path}`, `new/${path}`];
    case 'leading_slash':
      return [`/${path}`, `/${path}`];
    case 'dot_slash':
      return [`./${path}`, `./${path}`];
    case 'backslashes':
      return [`a\\${path.replace(/\//g, '\\')}`, `b\\${path.replace(/\//g, '\\')}`];
    case 'folder_prefix':
      return [`a/my-app/${path}`, `b/my-app/${path}`];
    case 'other_root': {
      const rest = path.split('/').slice(1).join('/');
      return [`a/${rest}`, `b/${rest}`];
    }
    case 'case': {
      const parts = path.split('/');
      const i = parts.findIndex((p) => /[a-z]/.test(p[0] ?? ''));
      if (i !== -1) parts[i] = parts[i]![0]!.toUpperCase() + parts[i]!.slice(1);
      else parts[0] = parts[0]!.toLowerCase();
      return [`a/${parts.join('/')}`, `b/${parts.join('/')}`];
    }
  }
}

/** A diff in another fence, several fences, prose between hunks, or trailing prose. */
export type Wrapping = 'other_language' | 'untagged' | 'split_fences' | 'prose_between_hunks' | 'unfenced_trailing_text';

export function wrap(diff: string, how: Wrapping, rng: Rng): string {
  const hunkAt = [...diff.matchAll(/^@@/gm)].map((m) => m.index);
  const cut = hunkAt.length > 1 ? hunkAt[rng.int(1, hunkAt.length - 1)]! : -1;
  switch (how) {
    case 'other_language':
      return `Here is the fix.\n\n\`\`\`${rng.pick(['ts', 'javascript', 'tsx', 'typescript'])}\n${diff}\`\`\`\n\nThat should do it.\n`;
    case 'untagged':
      return `Apply this:\n\`\`\`\n${diff}\`\`\`\n`;
    case 'split_fences':
      if (cut === -1) return `First the change:\n\n\`\`\`diff\n${diff}\`\`\`\n\nNothing else changes.\n`;
      return `First the top of the file:\n\n\`\`\`diff\n${diff.slice(0, cut)}\`\`\`\n\nThen further down:\n\n\`\`\`diff\n${diff.slice(cut)}\`\`\`\n`;
    case 'prose_between_hunks':
      if (cut === -1) return `\`\`\`diff\n${diff}\`\`\`\n\nThis is the only change needed.\n`;
      return `\`\`\`diff\n${diff.slice(0, cut)}\nAnd further down, the second change:\n\n${diff.slice(cut)}\`\`\`\n`;
    case 'unfenced_trailing_text':
      return `${diff}\nThis keeps the behaviour the same for existing callers, and the tests still pass.\nLet me know if you want more.\n`;
  }
}
