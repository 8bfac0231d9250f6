import * as C from './conflicts.js';
import { isRestyle, mapFits, reindent, type IndentMap } from './indent.js';
import type { FileIndex } from './locate.js';
import { placedLines, type Placement } from './place.js';
import { planAddedLines, type Reading } from './reindent-plan.js';
import { indentOf, indentWidth, isBlank, type TextLines } from './text.js';
import type { Hunk, PatchConflict } from './types.js';

/**
 * Indentation of added lines, per file. Hunks matched at another indentation get each added
 * line decided (reindent-plan.ts); a hunk whose added lines could be meant either way is
 * refused. A model drifts a whole answer alike, so the file's hunks inform each other: a
 * hunk with no decisive evidence of its own follows what the hunks with decisive evidence
 * agree on (same drift, same reading), and a hunk whose old lines all sit at column 0 shows
 * no drift at all, so its indented added lines follow the other hunks when they all
 * re-indented theirs (say, 2 → 4 spaces everywhere). A doc comment's ` * ` lines, one column
 * in, count as column 0 here.
 */
export function planIndentation(t: TextLines, index: () => FileIndex, hunks: readonly Hunk[], path: string, placed: Map<number, Placement>): PatchConflict[] {
  const out: PatchConflict[] = [];
  const plan = (pl: Placement, prior?: Reading) => {
    const lines = placedLines(hunks, pl);
    const fileText = new Map<number, string>();
    let k = pl.start;
    lines.forEach((l, i) => {
      if (l.kind !== 'add') fileText.set(i, t.line(k++));
    });
    return planAddedLines(lines, fileText, pl.match!.indent!, index().style(), prior);
  };
  const drifted = [...placed.values()].filter((pl) => pl.match?.indent);
  adoptFileRestyle(t, hunks, drifted, placed);
  const plans = new Map(drifted.map((pl) => [pl.hunkIndex, plan(placed.get(pl.hunkIndex)!)]));
  // What the hunks that showed it decisively say about the model's added lines, file-wide.
  const decisive = drifted.flatMap((pl) => {
    const p = plans.get(pl.hunkIndex)!;
    return p.ok && p.decisive ? [{ map: pl.match!.indent!, reading: p.decisive }] : [];
  });
  const agreed = decisive.length > 0 && decisive.every((d) => d.reading === decisive[0]!.reading && sameMap(d.map, decisive[0]!.map)) ? decisive[0]! : null;
  const seen: Array<{ map: IndentMap; reading: Reading | null }> = [];
  for (const pl0 of drifted) {
    const pl = placed.get(pl0.hunkIndex)!;
    let p = plans.get(pl.hunkIndex)!;
    if (agreed && sameMap(pl.match!.indent!, agreed.map) && !(p.ok && p.decisive)) p = plan(pl, agreed.reading);
    if (p.ok) {
      placed.set(pl.hunkIndex, { ...pl, added: p.texts, reindented: p.reindented });
      seen.push({ map: pl.match!.indent!, reading: p.reading });
    } else {
      placed.delete(pl.hunkIndex);
      out.push(C.indentationAmbiguous(path, pl.hunkIndex, p.line, p.asWritten, p.mapped));
    }
  }
  const agreedMap = consensus(seen);
  // Without agreement, a change of characters still marks the lines written in the hunk's.
  const map = agreedMap ?? restyleOf(drifted);
  if (map) for (const pl of [...placed.values()]) followFile(hunks, pl, map, placed, agreedMap === null);
  return out;
}

/** Indented with the other characters than the file's (spaces in a tab file, tabs in a space file). */
function foreignIndent(line: string, map: IndentMap): boolean {
  const indent = indentOf(line);
  return indent !== '' && (map.useTabs ? !indent.includes('\t') : indent.includes('\t'));
}

/** The one change of style (tabs ↔ spaces, 2 ↔ 4) the file's hunks show, if they show one. */
function restyleOf(drifted: readonly Placement[]): IndentMap | null {
  const styles = drifted.map((pl) => pl.match!.indent!).filter(isRestyle);
  return styles.length > 0 && styles.every((m) => sameMap(m, styles[0]!)) ? styles[0]! : null;
}

/**
 * A hunk with one indentation level cannot tell a change of style from a shift (4 → 2 columns
 * could be either); when another hunk of the file shows a change of style that also explains
 * this hunk's lines, that is the model's drift here too.
 */
function adoptFileRestyle(t: TextLines, hunks: readonly Hunk[], drifted: readonly Placement[], placed: Map<number, Placement>): void {
  const style = restyleOf(drifted);
  if (!style) return;
  for (const pl of drifted) {
    if (isRestyle(pl.match!.indent!)) continue;
    const old = placedLines(hunks, pl).filter((l) => l.kind !== 'add');
    const file = old.map((_, k) => t.line(pl.start + k));
    if (
      mapFits(
        style,
        old.map((l) => l.text),
        file,
      )
    )
      placed.set(pl.hunkIndex, { ...pl, match: { ...pl.match!, indent: style } });
  }
}

const sameMap = (a: IndentMap, b: IndentMap) => JSON.stringify(a) === JSON.stringify(b);

/** The map every hunk with a decision used and applied to its added lines, or null. */
function consensus(seen: ReadonlyArray<{ map: IndentMap; reading: Reading | null }>): IndentMap | null {
  const decided = seen.filter((s) => s.reading !== null);
  if (decided.length === 0 || decided.some((s) => s.reading !== 'map' || !sameMap(s.map, decided[0]!.map))) return null;
  return decided[0]!.map;
}

function followFile(hunks: readonly Hunk[], pl: Placement, map: IndentMap, placed: Map<number, Placement>, foreignOnly: boolean): void {
  if (pl.match === null || pl.match.indent !== null || pl.added) return;
  const lines = placedLines(hunks, pl);
  const old = lines.filter((l) => l.kind !== 'add' && !isBlank(l.text));
  // Matched with whitespace squashed: the old lines' indentation was not compared, so the
  // hunk may well be drifted; its added lines in the other characters than the file's are
  // then written in the drift the file's other hunks show.
  const squashed = pl.match.strategy !== 'exact' && pl.match.strategy !== 'trailing_whitespace';
  // Column 0, or a doc comment's ` * ` one column in: no indentation level to show a drift.
  if (!squashed && (old.length === 0 || old.some((l) => indentWidth(indentOf(l.text)) > 1))) return;
  const only = foreignOnly || squashed;
  const added = lines.filter((l) => l.kind === 'add');
  const texts = added.map((l) => (!only || foreignIndent(l.text, map) ? reindent(l.text, map) : l.text));
  const reindented = texts.filter((x, i) => x !== added[i]!.text).length;
  if (reindented > 0) placed.set(pl.hunkIndex, { ...pl, added: texts, reindented });
}
