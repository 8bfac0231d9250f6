import * as C from './conflicts.js';
import { exactStarts, type Match, type OldLine } from './locate.js';
import { hintsConsistent, oldLines, type Placement } from './place.js';
import type { TextLines } from './text.js';
import type { ConflictCandidate, Hunk, PatchConflict } from './types.js';

/** Conflicts for hunks that fit several places: the candidates shown, and hunks placed on a number the others contradict. */

/**
 * When the placed hunks disagree about the line numbers (offsets spread widely), a hunk placed
 * by its number may sit on the wrong copy of repeated lines: each one that had (or has) other
 * equal matches becomes a conflict instead.
 */
export function distrustHints(t: TextLines, hunks: readonly Hunk[], path: string, placed: Map<number, Placement>): PatchConflict[] {
  if (hintsConsistent(placed)) return [];
  const out: PatchConflict[] = [];
  for (const pl of [...placed.values()]) {
    if (!pl.byHint) continue;
    if (pl.match === null) {
      placed.delete(pl.hunkIndex);
      out.push(C.noAnchor(path, pl.hunkIndex));
      continue;
    }
    const old = oldLines(hunks[pl.hunkIndex]!);
    const starts = pl.match.strategy === 'exact' ? exactStarts(t, old) : [];
    if (starts.length === 1) continue;
    placed.delete(pl.hunkIndex);
    const copies = starts.map((s) => ({
      line: s + 1,
      score: 1,
      preview: t
        .all()
        .slice(s, s + Math.min(4, old.length))
        .join('\n'),
    }));
    out.push(
      C.ambiguous(
        path,
        pl.hunkIndex,
        copies.length > 0
          ? copies
          : [
              {
                line: pl.start + 1,
                score: pl.match.score,
                preview: t
                  .all()
                  .slice(pl.start, pl.start + 4)
                  .join('\n'),
              },
            ],
      ),
    );
  }
  return out;
}

export function ambiguousCandidates(t: TextLines, p: { matches: readonly Match[]; old: readonly OldLine[] }): ConflictCandidate[] {
  return p.matches.map((m) => ({
    line: m.start + 1,
    score: Math.round(m.score * 100) / 100,
    preview: t
      .all()
      .slice(m.start, m.start + Math.min(4, p.old.length))
      .join('\n'),
  }));
}
