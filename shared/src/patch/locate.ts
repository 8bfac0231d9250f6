import { fileIndentUnit, fileUsesTabs, fitIndent, isShiftByOne, type IndentMap } from './indent.js';
import type { FileStyle } from './reindent-plan.js';
import { similarity } from './similarity.js';
import { isBlank, squashWhitespace, type TextLines } from './text.js';
import type { ConflictCandidate, HunkLine, MatchStrategy } from './types.js';

/**
 * Finding where a hunk's old lines (context and removed lines, in order) are in a file.
 * Strategies are tried in order, least fuzzy first; the first one that finds any place wins
 * and reports every place it found, so that the caller can refuse when there are several.
 */

/** Content strategies in the order they are tried. */
export const MATCH_STRATEGIES = ['exact', 'trailing_whitespace', 'indentation', 'whitespace', 'fuzzy_context'] as const satisfies readonly MatchStrategy[];
export type ContentStrategy = (typeof MATCH_STRATEGIES)[number];

const FUZZ: Record<ContentStrategy, number> = { exact: 0, trailing_whitespace: 1, indentation: 2, whitespace: 3, fuzzy_context: 4 };

type KeyKind = 'exact' | 'trailing' | 'trim' | 'squash';
const KEY_FNS: Record<KeyKind, (s: string) => string> = {
  exact: (s) => s,
  trailing: (s) => s.trimEnd(),
  trim: (s) => s.trim(),
  squash: squashWhitespace,
};

/** A line of the hunk's old side. */
export interface OldLine {
  text: string;
  /** Context line (may mismatch under 'fuzzy_context'); false for a removed line. */
  context: boolean;
  /**
   * A context line right before or after the added lines of a hunk that removes nothing: all
   * that says where those lines go (see Match.pinMissed).
   */
  pinsInsertion?: boolean;
}

export interface Match {
  /** 0-based index of the first matched file line. */
  start: number;
  strategy: ContentStrategy | 'elided_context';
  /** The strategy's base fuzz plus, for fuzzy matches, the mismatched share of lines. */
  fuzz: number;
  /** 0..1: how well the hunk's lines match there. */
  score: number;
  /** Set when the hunk's old lines sit at another indentation than the file's. */
  indent: IndentMap | null;
  /**
   * The hunk as it really applies, when its lines differ from the hunk's own (elided context:
   * the skipped file lines become context, elision markers go). Its old lines are contiguous.
   */
  lines?: HunkLine[];
  /** File lines the hunk's context left out (elided context). */
  skipped?: number;
  /**
   * Fuzzy context: a line that pins a pure insertion (OldLine.pinsInsertion) differs from the
   * file here. Then the model saw that spot differently, and its added lines may belong on the
   * other side of a line it missed: the place stands only where the line number says so too.
   */
  pinMissed?: boolean;
}

interface KeyTable {
  keys: string[];
  positions: Map<string, number[]>;
}

/** Per-file lookup tables, built lazily per key kind and shared by all hunks of the file. */
export class FileIndex {
  private readonly tables = new Map<KeyKind, KeyTable>();
  private tabs: boolean | undefined;
  private unit: number | undefined;

  constructor(readonly lines: readonly string[]) {}

  table(kind: KeyKind): KeyTable {
    let t = this.tables.get(kind);
    if (!t) {
      const fn = KEY_FNS[kind];
      const keys = this.lines.map(fn);
      const positions = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const list = positions.get(k);
        if (list) list.push(i);
        else positions.set(k, [i]);
      });
      t = { keys, positions };
      this.tables.set(kind, t);
    }
    return t;
  }

  usesTabs(): boolean {
    this.tabs ??= fileUsesTabs(this.lines);
    return this.tabs;
  }

  style(): FileStyle {
    this.unit ??= fileIndentUnit(this.lines);
    return { tabs: this.usesTabs(), unit: this.unit };
  }
}

/** Starts where every old line equals the file line under the key (anchored on the rarest line). */
export function keyedStarts(index: FileIndex, kind: KeyKind, old: readonly string[]): number[] {
  const { keys, positions } = index.table(kind);
  const fn = KEY_FNS[kind];
  const oldKeys = old.map(fn);
  let anchor = -1;
  let anchorList: number[] | undefined;
  for (let i = 0; i < oldKeys.length; i++) {
    const list = positions.get(oldKeys[i]!);
    if (!list) return [];
    if (!anchorList || list.length < anchorList.length) [anchor, anchorList] = [i, list];
  }
  const out: number[] = [];
  for (const p of anchorList ?? []) {
    const s = p - anchor;
    if (s < 0 || s + oldKeys.length > keys.length) continue;
    let ok = true;
    for (let i = 0; ok && i < oldKeys.length; i++) ok = keys[s + i] === oldKeys[i];
    if (ok) out.push(s);
  }
  return out;
}

/**
 * The indentation map for a hunk's added lines, fitted on all its old lines. Context lines
 * that lost their leading space sit exactly one column left of the file: in a hunk that
 * removes nothing, that shift alone is a parsing artefact, not a reason to re-indent.
 */
function addedLineIndent(index: FileIndex, old: readonly OldLine[], start: number): IndentMap | 'identity' | null {
  const fit = fitIndent(
    old.map((l) => l.text),
    index.lines.slice(start, start + old.length),
    index.usesTabs(),
  );
  const removes = old.some((l) => !l.context && !isBlank(l.text));
  if (fit !== null && fit !== 'identity' && !removes && isShiftByOne(fit)) return 'identity';
  return fit;
}

/**
 * Exact matches by a scan anchored on the hunk's longest old line, comparing in place (no
 * per-line strings, no index): the common case stays linear and cheap on large files.
 */
export function exactStarts(t: TextLines, old: readonly OldLine[]): number[] {
  let anchor = 0;
  for (let i = 1; i < old.length; i++) if (old[i]!.text.length > old[anchor]!.text.length) anchor = i;
  const key = old[anchor]!.text;
  const out: number[] = [];
  for (let p = anchor; p + old.length - anchor <= t.count; p++) {
    if (!t.lineEquals(p, key)) continue;
    const s = p - anchor;
    let ok = true;
    for (let i = 0; ok && i < old.length; i++) ok = i === anchor || t.lineEquals(s + i, old[i]!.text);
    if (ok) out.push(s);
  }
  return out;
}

function simpleMatches(index: FileIndex, strategy: ContentStrategy, kind: KeyKind, old: readonly OldLine[]): Match[] {
  const texts = old.map((l) => l.text);
  const out: Match[] = [];
  for (const start of keyedStarts(index, kind, texts)) {
    let indent: IndentMap | null = null;
    if (strategy === 'indentation') {
      const fit = addedLineIndent(index, old, start);
      if (fit === null) continue;
      indent = fit === 'identity' ? null : fit;
    }
    out.push({ start, strategy, fuzz: FUZZ[strategy], score: 1, indent });
  }
  return out;
}

/** Votes per start: how many old lines equal (whitespace-squashed) the file line there. */
function votesByStart(index: FileIndex, old: readonly OldLine[]): Map<number, number> {
  const { keys, positions } = index.table('squash');
  const votes = new Map<number, number>();
  old.forEach((l, i) => {
    for (const p of positions.get(squashWhitespace(l.text)) ?? []) {
      const s = p - i;
      if (s >= 0 && s + old.length <= keys.length) votes.set(s, (votes.get(s) ?? 0) + 1);
    }
  });
  return votes;
}

/** Minimum similarity of a context line that does not quite match. */
const FUZZY_LINE_SIMILARITY = 0.5;

/**
 * Removed lines must all be there (whitespace aside); up to a third of the context lines (at
 * least one) may differ slightly. Every place within one line's worth of the best is returned.
 */
function fuzzyMatches(index: FileIndex, old: readonly OldLine[]): Match[] {
  const { keys } = index.table('squash');
  const n = old.length;
  const contextCount = old.filter((l) => l.context).length;
  const maxMiss = Math.max(1, Math.floor(contextCount / 3));
  const found: Match[] = [];
  for (const [start, votes] of votesByStart(index, old)) {
    if (votes < n - maxMiss || votes === n) continue;
    let sum = 0;
    let anchors = 0;
    let ok = true;
    let pinMissed = false;
    for (let i = 0; ok && i < n; i++) {
      const want = squashWhitespace(old[i]!.text);
      const have = keys[start + i]!;
      if (want === have) {
        sum += 1;
        if (want !== '') anchors++;
        continue;
      }
      const sim = old[i]!.context ? similarity(want, have) : 0;
      ok = sim >= FUZZY_LINE_SIMILARITY;
      sum += sim;
      if (old[i]!.pinsInsertion) pinMissed = true;
    }
    if (!ok || anchors < 2) continue;
    found.push({
      start,
      strategy: 'fuzzy_context',
      fuzz: FUZZ.fuzzy_context + (n - votes) / n,
      score: sum / n,
      indent: null,
      ...(pinMissed ? { pinMissed } : {}),
    });
  }
  const best = Math.max(...found.map((m) => m.score));
  return found.filter((m) => m.score >= best - 1 / n).sort((a, b) => a.start - b.start);
}

/**
 * Tries the strategies in order up to `maxStrategy`; returns the matches of the first that
 * finds any (several matches = ambiguous, for the caller to settle or refuse), or [].
 */
export function findMatches(t: TextLines, index: () => FileIndex, old: readonly OldLine[], maxStrategy: MatchStrategy = 'fuzzy_context'): Match[] {
  const limit = MATCH_STRATEGIES.indexOf(maxStrategy as ContentStrategy);
  const kinds: Record<Exclude<ContentStrategy, 'fuzzy_context' | 'exact'>, KeyKind> = {
    trailing_whitespace: 'trailing',
    indentation: 'trim',
    whitespace: 'squash',
  };
  for (let s = 0; s < MATCH_STRATEGIES.length && (limit === -1 || s <= limit); s++) {
    const strategy = MATCH_STRATEGIES[s]!;
    const matches =
      strategy === 'exact'
        ? exactStarts(t, old).map((start) => ({ start, strategy, fuzz: 0, score: 1, indent: null }))
        : strategy === 'fuzzy_context'
          ? fuzzyMatches(index(), old)
          : simpleMatches(index(), strategy, kinds[strategy], old);
    if (matches.length > 0) return matches;
  }
  return [];
}

function preview(lines: readonly string[], start: number, count: number): string {
  return lines
    .slice(start, start + Math.min(count, 4))
    .map((l) => (l.length > 120 ? `${l.slice(0, 117)}...` : l))
    .join('\n');
}

/** The places that come closest to a hunk that could not be placed, best first (for conflicts). */
export function nearestCandidates(index: FileIndex, old: readonly OldLine[], limit = 3): ConflictCandidate[] {
  const n = old.length;
  if (n === 0) return [];
  const meaningful = old.filter((l) => !isBlank(l.text)).length;
  const ranked = [...votesByStart(index, old)].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const out: ConflictCandidate[] = [];
  for (const [start, votes] of ranked) {
    if (out.length >= limit || votes < Math.max(1, Math.ceil(Math.min(n, meaningful) * 0.3))) break;
    if (out.some((c) => Math.abs(c.line - 1 - start) < n)) continue;
    out.push({ line: start + 1, score: Math.round((votes / n) * 100) / 100, preview: preview(index.lines, start, n) });
  }
  return out;
}
