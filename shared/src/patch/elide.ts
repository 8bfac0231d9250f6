import { fitIndent } from './indent.js';
import type { FileIndex, Match } from './locate.js';
import { isBlank, squashWhitespace } from './text.js';
import type { HunkLine } from './types.js';

/**
 * Elided context: a hunk whose context leaves file lines out, either silently (a line or two
 * skipped) or with a marker (`...`, `// ... existing code ...`, `{/* ... *\/}`). Its lines
 * that are there must still fit exactly one place, in order; the skipped file lines are kept.
 *
 * Where the added lines go must not depend on the gap: a silent gap next to inserted lines
 * (was the line they follow skipped, or the one they precede?) or between two removed lines
 * (is the skipped line removed too?) is refused. Added lines that replace removed ones stay
 * where those were. A marker says which side of the gap added lines are on.
 */

const ELLIPSIS = '(?:\\.\\.\\.|…)';
const WORDS = "[A-Za-z][\\w\\s,'-]*";
const MARKER_PATTERNS = [
  // `...`, `// ...`, `// ... existing code ...`, `# ... rest unchanged`
  new RegExp(`^(?://+|#|--)?\\s*${ELLIPSIS}(?:\\s+${WORDS})?\\s*${ELLIPSIS}?$`),
  // `/* ... */`, `{/* ... existing code ... */}`, `<!-- ... -->`
  new RegExp(`^\\{?\\s*(?:/\\*|<!--)\\s*${ELLIPSIS}(?:\\s*${WORDS})?\\s*${ELLIPSIS}?\\s*(?:\\*/|-->)\\s*\\}?$`),
  // `// existing code ...`, `// rest of the function unchanged`
  /^(?:\/\/+|#)\s*(?:\.\.\.\s*)?(?:existing code|rest of|unchanged|other (?:code|methods|cases))\b[\w\s,'-]*(?:\.\.\.|…)?$/i,
];

export function isElisionMarker(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && MARKER_PATTERNS.some((re) => re.test(t));
}

/** Alignments looked at per hunk; reaching it means there may be more, so the hunk is refused. */
const CAP = 32;

/** Most file lines a silent gap may skip. */
const MAX_SILENT_GAP = 2;

interface Item {
  key: string;
  hunkLine: number;
  removed: boolean;
  /** File lines that may be skipped before it: 0, a few (silent), or any (a marker). */
  gap: 0 | 'silent' | 'marker';
}

/** The hunk's old lines as items to align, or null when a gap would leave the change unclear. */
function itemsOf(lines: readonly HunkLine[], silentNearAdds: boolean): Item[] | null {
  const items: Item[] = [];
  let marker = false;
  let addsSince = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.kind === 'add') {
      // Added lines on the far side of a leading or trailing marker: how far is unknown.
      if (marker && items.length > 0 && !lines.slice(i).some((x) => x.kind !== 'add')) return null;
      // Lines that replace removed ones go where those were; only other added lines pin a gap.
      const replacing = !marker && items.length > 0 && items[items.length - 1]!.removed && lines[i - 1]!.kind !== 'context';
      if (!replacing) addsSince = true;
      continue;
    }
    if (l.kind === 'context' && isElisionMarker(l.text)) {
      if (items.length === 0 && addsSince) return null;
      marker = true;
      continue;
    }
    const prev = items[items.length - 1];
    let gap: Item['gap'] = 0;
    if (prev && marker) {
      if (prev.removed && l.kind === 'remove') return null;
      gap = 'marker';
    } else if (prev && !(prev.removed && l.kind === 'remove') && (silentNearAdds || !addsSince)) gap = 'silent';
    items.push({ key: squashWhitespace(l.text), hunkLine: i, removed: l.kind === 'remove', gap });
    marker = false;
    addsSince = false;
  }
  return items;
}

/** Every alignment of the items in the file (file line per item), up to `cap`. */
function alignments(index: FileIndex, items: readonly Item[], cap: number): number[][] {
  const { keys, positions } = index.table('squash');
  const out: number[][] = [];
  const path: number[] = [];
  const dfs = (k: number): void => {
    if (out.length >= cap) return;
    if (k === items.length) return void out.push([...path]);
    const item = items[k]!;
    const from = path[k - 1]! + 1;
    const last = item.gap === 'marker' ? keys.length - 1 : Math.min(keys.length - 1, from + (item.gap === 'silent' ? MAX_SILENT_GAP : 0));
    for (const p of positions.get(item.key) ?? []) {
      if (p < from) continue;
      if (p > last || out.length >= cap) break;
      path.push(p);
      dfs(k + 1);
      path.pop();
    }
  };
  for (const p of positions.get(items[0]!.key) ?? []) {
    if (out.length >= cap) break;
    path.push(p);
    dfs(1);
    path.pop();
  }
  return out;
}

/**
 * The hunk with the skipped file lines as context and its markers dropped, and a signature
 * of its effect (removed file lines, where each added line goes): alignments that differ only
 * in which copy of a kept line they used have the same effect and are one place, not two.
 */
function expand(lines: readonly HunkLine[], items: readonly Item[], at: readonly number[], fileLines: readonly string[]): { lines: HunkLine[]; sig: string } {
  const out: HunkLine[] = [];
  const sig: string[] = [];
  const itemAt = new Map(items.map((it, k) => [it.hunkLine, k]));
  let next = 0; // items consumed
  let cursor = at[0]!; // file line the next emitted line is at
  const skipped = (k: number) => {
    for (let p = at[k - 1]! + 1; p < at[k]!; p++) out.push({ kind: 'context', text: fileLines[p]! });
    cursor = at[k]!;
  };
  lines.forEach((l, i) => {
    const k = itemAt.get(i);
    if (k !== undefined) {
      if (k > 0 && items[k]!.gap === 'silent') skipped(k);
      out.push(l);
      if (l.kind === 'remove') sig.push(`-${at[k]}`);
      next = k + 1;
      cursor = at[k]! + 1;
    } else if (l.kind === 'context') {
      // A marker: the lines it stands for go here, between the added lines before and after it.
      if (next > 0 && next < items.length) skipped(next);
    } else {
      out.push(l);
      sig.push(`+${cursor}`);
    }
  });
  return { lines: out, sig: sig.join(' ') };
}

export type ElidedResult = { matches: Match[]; openInsertion: boolean };

/**
 * Places a hunk that no contiguous strategy could: every distinct alignment of its lines
 * (a second one makes the caller refuse). `openInsertion` says that the hunk fits only if a
 * silent gap next to its added lines is allowed, so it is refused with that reason.
 */
export function elidedMatches(index: FileIndex, lines: readonly HunkLine[]): ElidedResult {
  const none = { matches: [], openInsertion: false };
  const items = itemsOf(lines, false);
  const meaningful = items?.filter((it) => it.key.length >= 3).length ?? 0;
  const markers = lines.some((l) => l.kind === 'context' && isElisionMarker(l.text));
  if (!items || items.length === 0 || meaningful < 2 || !(markers || items.some((it) => it.gap !== 0))) return none;
  const found = alignments(index, items, CAP);
  // Read loosely too (a silent gap next to added lines allowed): the hunk may belong to a
  // place that only that reading reaches, and then the place found strictly is a guess.
  const looseItems = itemsOf(lines, true);
  const loose = looseItems === null ? [] : alignments(index, looseItems, CAP);
  if (found.length === 0) return { matches: [], openInsertion: loose.length > 0 };
  const span = lines.length;
  const elsewhere = loose.find((l) => found.every((f) => Math.abs(l[0]! - f[0]!) > span));
  const bySig = new Map<string, { at: number[]; lines: HunkLine[] }>();
  for (const at of found) {
    const e = expand(lines, items, at, index.lines);
    if (!bySig.has(e.sig)) bySig.set(e.sig, { at, lines: e.lines });
  }
  // Every alignment found had one effect, but there may be more: too many to tell is ambiguous.
  const distinct = [...bySig.values()];
  if ((found.length >= CAP || (loose.length >= CAP && !elsewhere)) && distinct.length === 1) distinct.push(distinct[0]!);
  const matches: Match[] = distinct.slice(0, 2).map(({ at, lines: expanded }): Match => {
    const skipped = at[at.length - 1]! - at[0]! + 1 - items.length;
    const pairs = items.filter((it) => !isBlank(lines[it.hunkLine]!.text));
    const fit = fitIndent(
      pairs.map((it) => lines[it.hunkLine]!.text),
      pairs.map((it) => index.lines[at[items.indexOf(it)]!]!),
      index.usesTabs(),
    );
    return {
      start: at[0]!,
      strategy: 'elided_context',
      fuzz: 5 + skipped / (skipped + items.length),
      score: items.length / (items.length + skipped),
      indent: fit === 'identity' ? null : fit,
      lines: expanded,
      skipped,
    };
  });
  // A second place only the loose reading reaches: name it, so the hunk is refused as ambiguous.
  if (elsewhere && matches.length === 1) matches.push({ ...matches[0]!, start: elsewhere[0]! });
  return { matches, openInsertion: false };
}
