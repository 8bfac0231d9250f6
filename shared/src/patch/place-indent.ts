import * as C from './conflicts.js';
import { reindent, type IndentMap } from './indent.js';
import type { FileIndex } from './locate.js';
import { placedLines, type Placement } from './place.js';
import { planAddedLines, type Reading } from './reindent-plan.js';
import { indentOf, isBlank, type TextLines } from './text.js';
import type { Hunk, PatchConflict } from './types.js';

/**
 * Indentation of added lines, per file. Hunks matched at another indentation get each added
 * line decided (reindent-plan.ts); a hunk whose added lines could be meant either way is
 * refused. A hunk whose old lines are all at column 0 shows no drift of its own, so its
 * indented added lines follow what the file's other hunks showed, when they all agree that
 * the model drifted its added lines too (say, 2 → 4 spaces everywhere).
 */
export function planIndentation(t: TextLines, index: () => FileIndex, hunks: readonly Hunk[], path: string, placed: Map<number, Placement>): PatchConflict[] {
  const out: PatchConflict[] = [];
  const seen: Array<{ map: IndentMap; reading: Reading | null }> = [];
  for (const pl of [...placed.values()]) {
    const map = pl.match?.indent;
    if (!map) continue;
    const lines = placedLines(hunks, pl);
    const fileText = new Map<number, string>();
    let k = pl.start;
    lines.forEach((l, i) => {
      if (l.kind !== 'add') fileText.set(i, t.line(k++));
    });
    const plan = planAddedLines(lines, fileText, map, index().style());
    if (plan.ok) {
      placed.set(pl.hunkIndex, { ...pl, added: plan.texts, reindented: plan.reindented });
      seen.push({ map, reading: plan.reading });
    } else {
      placed.delete(pl.hunkIndex);
      out.push(C.indentationAmbiguous(path, pl.hunkIndex, plan.line, plan.asWritten, plan.mapped));
    }
  }
  const map = consensus(seen);
  if (map) for (const pl of [...placed.values()]) followFile(hunks, pl, map, placed);
  return out;
}

const sameMap = (a: IndentMap, b: IndentMap) => JSON.stringify(a) === JSON.stringify(b);

/** The map every hunk with a decision used and applied to its added lines, or null. */
function consensus(seen: ReadonlyArray<{ map: IndentMap; reading: Reading | null }>): IndentMap | null {
  const decided = seen.filter((s) => s.reading !== null);
  if (decided.length === 0 || decided.some((s) => s.reading !== 'map' || !sameMap(s.map, decided[0]!.map))) return null;
  return decided[0]!.map;
}

function followFile(hunks: readonly Hunk[], pl: Placement, map: IndentMap, placed: Map<number, Placement>): void {
  if (pl.match === null || pl.match.indent !== null || pl.added) return;
  const lines = placedLines(hunks, pl);
  const old = lines.filter((l) => l.kind !== 'add' && !isBlank(l.text));
  if (old.length === 0 || old.some((l) => indentOf(l.text) !== '')) return;
  const texts = lines.filter((l) => l.kind === 'add').map((l) => reindent(l.text, map));
  const reindented = texts.filter((x, i) => x !== lines.filter((l) => l.kind === 'add')[i]!.text).length;
  if (reindented > 0) placed.set(pl.hunkIndex, { ...pl, added: texts, reindented });
}
