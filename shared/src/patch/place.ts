import * as C from './conflicts.js';
import { FileIndex, findMatches, keyedStarts, nearestCandidates, type Match, type OldLine } from './locate.js';
import { ambiguousCandidates, distrustHints } from './ambiguity.js';
import { elidedMatches } from './elide.js';
import { planIndentation } from './place-indent.js';
import type { TextLines } from './text.js';
import type { Hunk, HunkLine, MatchStrategy, PatchConflict } from './types.js';

/**
 * Placing all hunks of one file: each hunk is located by content in the ORIGINAL file, then
 * several equal matches are settled by the order of the hunks and by the header's line number
 * (shifted by how far the already placed hunks moved); anything still ambiguous is refused.
 */

export interface Placement {
  hunkIndex: number;
  /** 0-based start of the replaced region in the original file. */
  start: number;
  /** Number of old lines (context + removed) the hunk replaces. */
  length: number;
  match: Match | null; // null: placed by line number (no old lines)
  /** Distance from the header's (0-based) line number to `start`, null without a number. */
  offset: number | null;
  /** Placed by its line number (possibly among other equal matches), not by content alone. */
  byHint: boolean;
  /** The added lines as written into the file, when some were re-indented to the file's style. */
  added?: string[];
  /** How many added lines were re-indented. */
  reindented?: number;
}

interface Pending {
  hunkIndex: number;
  old: OldLine[];
  hint: number | null;
  matches: Match[];
}

export function oldLines(h: Hunk): OldLine[] {
  const out: OldLine[] = [];
  const insertion = !h.lines.some((l) => l.kind === 'remove');
  h.lines.forEach((l, i) => {
    if (l.kind === 'add') return;
    const pins = insertion && (h.lines[i - 1]?.kind === 'add' || h.lines[i + 1]?.kind === 'add');
    out.push({ text: l.text, context: l.kind === 'context', ...(pins ? { pinsInsertion: true } : {}) });
  });
  return out;
}

/** 0-based index the header points at (for a hunk without old lines: the insertion index). */
function hintOf(h: Hunk, oldCount: number): number | null {
  if (h.oldStart === null) return null;
  return Math.max(0, oldCount === 0 ? h.oldStart : h.oldStart - 1);
}

function unplacedConflict(index: FileIndex, path: string, hunk: Hunk, hunkIndex: number, old: OldLine[]): PatchConflict {
  const newSide = hunk.lines.filter((l) => l.kind !== 'remove').map((l) => l.text);
  const changes = hunk.lines.some((l) => l.kind !== 'context');
  if (changes && newSide.filter((t) => t.trim() !== '').length >= 2) {
    const applied = keyedStarts(index, 'squash', newSide);
    if (applied.length > 0) return C.alreadyApplied(path, hunkIndex, applied[0]! + 1);
  }
  const candidates = nearestCandidates(index, old);
  const removed = old.filter((l) => !l.context);
  if (removed.length === 0) return C.contextNotFound(path, hunkIndex, candidates);
  const squashKeys = index.table('squash').positions;
  const missing = removed.find((l) => !squashKeys.has(l.text.replace(/\s+/g, ' ').trim()));
  return C.removedNotFound(path, hunkIndex, missing?.text ?? null, candidates);
}

/** Placed neighbours of a pending hunk in patch order, and whether placed hunks keep patch order. */
function neighbours(placed: Map<number, Placement>, hunkIndex: number): { prev?: Placement; next?: Placement; ordered: boolean } {
  const list = [...placed.values()].sort((a, b) => a.hunkIndex - b.hunkIndex);
  let ordered = true;
  for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.start + list[i - 1]!.length) ordered = false;
  const prev = list.filter((p) => p.hunkIndex < hunkIndex).pop();
  const next = list.find((p) => p.hunkIndex > hunkIndex);
  return { ...(prev ? { prev } : {}), ...(next ? { next } : {}), ordered };
}

/**
 * Among equal matches, the one nearest the (adjusted) line number wins only if it is at most
 * this far from it and less than half as far as the next one: a number that is far off is no
 * evidence for one copy over another.
 */
const MAX_HINT_DISTANCE = 10;

/**
 * The same without a hunk placed by content to say how far the numbers are shifted: then the
 * header's number is all there is, and a number that misses every copy by more than a
 * miscount is as likely shifted towards the wrong copy as towards the right one.
 */
const MAX_BARE_HINT_DISTANCE = 3;

/** Largest spread of offsets among placed hunks for their line numbers still to be trusted. */
const MAX_OFFSET_SPREAD = 10;

/**
 * Line numbers are usable only if the hunks placed by content agree on them: the same offset
 * give or take a few lines (numbers shifted as a whole are fine; random ones are not).
 */
export function hintsConsistent(placed: Map<number, Placement>): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of placed.values()) {
    if (p.offset === null || p.match === null) continue;
    lo = Math.min(lo, p.offset);
    hi = Math.max(hi, p.offset);
  }
  return hi - lo <= MAX_OFFSET_SPREAD || lo === Infinity;
}

/**
 * Settles several equal matches, or returns null (ambiguous). A usable line number decides
 * first (nearest, if near and clearly nearer); without one, the order of the hunks: a hunk
 * listed between two placed hunks that are in file order goes between them, if only one of
 * its matches fits there.
 */
function settle(p: Pending, placed: Map<number, Placement>): { match: Match; byHint: boolean } | null {
  const { prev, next, ordered } = neighbours(placed, p.hunkIndex);
  // Elided context fits loosely: several places are settled only by a number that hunks
  // placed by content vouch for, landing within a miscount of one of them.
  const elided = p.matches[0]!.lines !== undefined;
  if (p.hint !== null && hintsConsistent(placed)) {
    const anchor = prev?.offset != null ? prev : next?.offset != null ? next : undefined;
    const target = p.hint + (anchor?.offset ?? 0);
    const byDistance = [...p.matches].sort((a, b) => Math.abs(a.start - target) - Math.abs(b.start - target));
    const d1 = Math.abs(byDistance[0]!.start - target);
    const d2 = Math.abs(byDistance[1]!.start - target);
    // A miscount at most, unless a placed hunk vouches for the shift of an exact copy.
    const reach = anchor && !elided ? MAX_HINT_DISTANCE : MAX_BARE_HINT_DISTANCE;
    if ((anchor || !elided) && d1 <= reach && d1 * 2 < d2) return { match: byDistance[0]!, byHint: true };
  }
  if (elided || !ordered || !prev || !next) return null;
  const lo = prev.start + prev.length;
  const hi = next.start;
  const between = p.matches.filter((m) => m.start >= lo && m.start + p.old.length <= hi);
  return between.length === 1 ? { match: between[0]!, byHint: false } : null;
}

function place(p: Pending, match: Match | null, start: number, byHint: boolean): Placement {
  const length = match?.lines ? match.lines.filter((l) => l.kind !== 'add').length : p.old.length;
  return { hunkIndex: p.hunkIndex, start, length, match, offset: p.hint === null ? null : start - p.hint, byHint };
}

/** Hunks without old lines go where their number says (adjusted like the others), or at 0 in an empty file. */
function placeByNumber(p: Pending, placed: Map<number, Placement>, fileLength: number): Placement | null {
  if (fileLength === 0) return place(p, null, 0, false);
  if (p.hint === null) return null;
  const { prev, next } = neighbours(placed, p.hunkIndex);
  const anchor = prev?.offset != null ? prev : next?.offset != null ? next : undefined;
  return place(p, null, Math.min(fileLength, Math.max(0, p.hint + (anchor?.offset ?? 0))), true);
}

function overlapConflicts(path: string, placements: Placement[]): PatchConflict[] {
  const sorted = [...placements].sort((a, b) => a.start - b.start || a.length - b.length || a.hunkIndex - b.hunkIndex);
  const out: PatchConflict[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.start + a.length > b.start) {
      const later = a.hunkIndex > b.hunkIndex ? a : b;
      const other = later === a ? b : a;
      out.push(C.overlapping(path, later.hunkIndex, other.hunkIndex, later.start + 1, later.start + Math.max(later.length, 1)));
    }
  }
  return out;
}

export interface PlaceResult {
  placements: Placement[]; // sorted by start
  conflicts: PatchConflict[];
}

function exactAt(t: TextLines, old: readonly OldLine[], start: number): boolean {
  if (start < 0 || start + old.length > t.count) return false;
  for (let i = 0; i < old.length; i++) if (!t.lineEquals(start + i, old[i]!.text)) return false;
  return true;
}

/**
 * Whether the fast placements are the full search's. They are when every hunk was placed in
 * the first pass (none pending, none unplaced) and all offsets are one non-null value d:
 * - a fast hunk whose exact match is unique: the full search finds that one match ('exact' is
 *   tried first) and places it the same; `byHint` differs but is read only when offsets disagree;
 * - a fast hunk with other exact copies: the full search settles it in patch order, with every
 *   hunk placed so far at offset d, so hints are consistent and its target is hint + d (or the
 *   bare hint for the first hunk, whose fast offset is then 0 = d) — the fast target. Distance
 *   0 is within MAX_HINT_DISTANCE and less than half the next copy's: the same copy wins.
 * Otherwise the file is placed again without the fast path, never mixing the two.
 */
function fastPathAgrees(placed: Map<number, Placement>, pending: readonly Pending[], conflicts: readonly PatchConflict[]): boolean {
  if (pending.length > 0 || conflicts.length > 0) return false;
  let offset: number | undefined;
  for (const p of placed.values()) {
    if (p.offset === null || (offset !== undefined && p.offset !== offset)) return false;
    offset = p.offset;
  }
  return true;
}

/**
 * `fastPath` (default true) first tries each hunk exactly where its number, shifted by the
 * previous hunk's offset, says: on a file whose numbers are right that skips every search.
 * It never changes the result (see fastPathAgrees); false is for tests proving that.
 */
export function placeHunks(t: TextLines, hunks: readonly Hunk[], path: string, maxStrategy?: MatchStrategy, fastPath = true): PlaceResult {
  let lazyIndex: FileIndex | undefined;
  const index = () => (lazyIndex ??= new FileIndex(t.all()));
  const placed = new Map<number, Placement>();
  const conflicts: PatchConflict[] = [];
  const pending: Pending[] = [];
  let drift = 0; // offset of the last hunk placed, in patch order
  let lastEnd = 0; // end of the last hunk placed, in patch order
  let usedFast = false;
  hunks.forEach((hunk, hunkIndex) => {
    const old = oldLines(hunk);
    const p: Pending = { hunkIndex, old, hint: hintOf(hunk, old.length), matches: [] };
    if (old.length === 0) return pending.push(p);
    const target = p.hint === null ? -1 : p.hint + drift;
    if (fastPath && target >= lastEnd && exactAt(t, old, target)) {
      placed.set(hunkIndex, place(p, { start: target, strategy: 'exact', fuzz: 0, score: 1, indent: null }, target, true));
      [lastEnd, usedFast] = [target + old.length, true];
      return;
    }
    // A fuzzy place that changed a line pinning an insertion stands only on its number too.
    p.matches = findMatches(t, index, old, maxStrategy).filter((m) => !m.pinMissed || (target >= 0 && Math.abs(m.start - target) <= MAX_BARE_HINT_DISTANCE));
    let openInsertion = false;
    if (p.matches.length === 0 && allowsElision(maxStrategy)) ({ matches: p.matches, openInsertion } = elidedMatches(index(), hunk.lines));
    if (openInsertion) conflicts.push(C.openInsertion(path, hunkIndex));
    else if (p.matches.length === 0) conflicts.push(unplacedConflict(index(), path, hunk, hunkIndex, old));
    else if (p.matches.length === 1) placed.set(hunkIndex, place(p, p.matches[0]!, p.matches[0]!.start, false));
    else return pending.push(p);
    const last = placed.get(hunkIndex);
    if (last) [drift, lastEnd] = [last.offset ?? drift, last.start + last.length];
  });
  if (usedFast && !fastPathAgrees(placed, pending, conflicts)) return placeHunks(t, hunks, path, maxStrategy, false);
  for (const p of pending) {
    if (p.old.length === 0) {
      const pl = placeByNumber(p, placed, t.count);
      if (pl) placed.set(p.hunkIndex, pl);
      else conflicts.push(C.noAnchor(path, p.hunkIndex));
      continue;
    }
    const settled = settle(p, placed);
    if (settled) placed.set(p.hunkIndex, place(p, settled.match, settled.match.start, settled.byHint));
    else conflicts.push(C.ambiguous(path, p.hunkIndex, ambiguousCandidates(t, p)));
  }
  conflicts.push(...distrustHints(t, hunks, path, placed));
  conflicts.push(...planIndentation(t, index, hunks, path, placed));
  const placements = [...placed.values()];
  conflicts.push(...overlapConflicts(path, placements));
  conflicts.sort((a, b) => (a.hunkIndex ?? -1) - (b.hunkIndex ?? -1));
  return { placements: placements.sort((a, b) => a.start - b.start || a.hunkIndex - b.hunkIndex), conflicts };
}

/** Elided context is the most lenient strategy: only when no limit below it was asked for. */
function allowsElision(maxStrategy: MatchStrategy | undefined): boolean {
  return maxStrategy === undefined || maxStrategy === 'fuzzy_context' || maxStrategy === 'elided_context';
}

/** The hunk's lines as placed: the match's rewritten lines for elided context, else its own. */
export function placedLines(hunks: readonly Hunk[], pl: Placement): readonly HunkLine[] {
  return pl.match?.lines ?? hunks[pl.hunkIndex]!.lines;
}
