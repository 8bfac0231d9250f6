import * as C from './conflicts.js';
import { isRestyle, mapFits, reindent, type IndentMap } from './indent.js';
import type { FileIndex } from './locate.js';
import { placedLines, type Placement } from './place.js';
import { planAddedLines, replacedIndex, rewrites, type FileStyle, type Reading } from './reindent-plan.js';
import { indentOf, indentWidth, isBlank, type TextLines } from './text.js';
import type { Hunk, HunkLine, PatchConflict } from './types.js';

/**
 * Indentation of added lines, per file. Hunks matched at another indentation get each added
 * line decided (reindent-plan.ts); a hunk whose added lines could be meant either way is
 * refused. A model drifts a whole answer alike, so the file's hunks inform each other: a
 * hunk with no decisive evidence of its own follows what the hunks with decisive evidence
 * agree on (same drift, same reading), and a hunk whose old lines all sit at column 0 shows
 * no drift at all, so its indented added lines follow the other hunks when they all
 * re-indented theirs (say, 2 → 4 spaces everywhere). A doc comment's ` * ` lines, one column
 * in, count as column 0 here. The patch's own step between levels tells a change of unit from
 * a shift where no single hunk can (adoptPatchUnit).
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
  const found = [...placed.values()].filter((pl) => pl.match?.indent);
  // The file's style costs a pass over every line: only for a file with drifted hunks.
  const unitMap = found.length > 0 ? adoptPatchUnit(t, hunks, found, placed, index().style()) : null;
  if (unitMap === null) adoptFileRestyle(t, hunks, found, placed);
  // As adopted: the maps below are the ones the lines are planned with.
  const drifted = found.map((pl) => placed.get(pl.hunkIndex)!);
  const plans = new Map(drifted.map((pl) => [pl.hunkIndex, plan(pl)]));
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
  // A change of unit the whole patch shows marks every indented added line, not only foreign ones.
  const foreignOnly = agreedMap === null && (map === null || unitMap === null || !sameMap(map, unitMap));
  for (const pl of [...placed.values()]) followFile(t, hunks, pl, map, placed, foreignOnly);
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

/**
 * Columns per level the patch's own lines step by, across all of the file's hunks: 4 when every
 * step is a multiple of 4, 2 when some step is 2 (mod 4), null when no step shows. Odd widths
 * (a doc comment's ` * `) are alignment, not levels.
 */
function patchUnit(hunks: readonly Hunk[]): number | null {
  let four = 0;
  let two = 0;
  for (const h of hunks) {
    let prev: number | null = null;
    for (const l of h.lines) {
      if (isBlank(l.text)) continue;
      const w = indentWidth(indentOf(l.text));
      if (w % 2 === 1) continue;
      if (prev !== null && w !== prev) {
        if (Math.abs(w - prev) % 4 === 0) four++;
        else two++;
      }
      prev = w;
    }
  }
  return two > 0 ? 2 : four > 0 ? 4 : null;
}

/**
 * A hunk whose old lines sit at one level cannot tell a shift from a change of unit (8 → 4
 * columns is either); when the patch as a whole steps by another unit than the file (4 columns
 * a level in a 2-column file) and rescaling by that ratio explains every drifted hunk's old
 * lines, the model wrote the patch in its own unit: rescale them all, added lines included.
 * The rescale, or null when the patch shows no such change.
 */
function adoptPatchUnit(
  t: TextLines,
  hunks: readonly Hunk[],
  drifted: readonly Placement[],
  placed: Map<number, Placement>,
  style: FileStyle,
): IndentMap | null {
  if (style.tabs) return null;
  const unit = patchUnit(hunks);
  if (unit === null || unit === style.unit) return null;
  const map: IndentMap = { kind: 'columns', scale: style.unit / unit, shift: 0, useTabs: false };
  const fits = drifted.every((pl) => {
    const old = placedLines(hunks, pl).filter((l) => l.kind !== 'add');
    return (
      (!isRestyle(pl.match!.indent!) || sameMap(pl.match!.indent!, map)) &&
      mapFits(
        map,
        old.map((l) => l.text),
        old.map((_, k) => t.line(pl.start + k)),
      )
    );
  });
  if (!fits) return null;
  for (const pl of drifted) placed.set(pl.hunkIndex, { ...pl, match: { ...pl.match!, indent: map } });
  return map;
}

const sameMap = (a: IndentMap, b: IndentMap) => JSON.stringify(a) === JSON.stringify(b);

/** The map every hunk with a decision used and applied to its added lines, or null. */
function consensus(seen: ReadonlyArray<{ map: IndentMap; reading: Reading | null }>): IndentMap | null {
  const decided = seen.filter((s) => s.reading !== null);
  if (decided.length === 0 || decided.some((s) => s.reading !== 'map' || !sameMap(s.map, decided[0]!.map))) return null;
  return decided[0]!.map;
}

/**
 * In a hunk matched with whitespace squashed, the file's indentation of the removed line that
 * added line `i` rewrites (mostly the same code), when the hunk wrote both at one indentation:
 * the rewrite goes where the line it replaces was. Null otherwise.
 */
function replacedIndent(t: TextLines, lines: readonly HunkLine[], pl: Placement, i: number): string | null {
  const k = replacedIndex(lines, i);
  if (k === undefined) return null;
  const removed = lines[k]!.text;
  const added = lines[i]!.text;
  if (isBlank(removed) || indentOf(removed) !== indentOf(added) || !rewrites(removed, added)) return null;
  const oldIndex = lines.slice(0, k).filter((l) => l.kind !== 'add').length;
  return indentOf(t.line(pl.start + oldIndex));
}

function followFile(t: TextLines, hunks: readonly Hunk[], pl: Placement, map: IndentMap | null, placed: Map<number, Placement>, foreignOnly: boolean): void {
  if (pl.match === null || pl.match.indent !== null || pl.added) return;
  const lines = placedLines(hunks, pl);
  // Matched with whitespace squashed: the old lines' indentation was not compared, so the
  // hunk may well be drifted; its added lines in the other characters than the file's are
  // then written in the drift the file's other hunks show, and a line rewriting a removed one
  // goes where that one was.
  const squashed = pl.match.strategy !== 'exact' && pl.match.strategy !== 'trailing_whitespace';
  const old = lines.filter((l) => l.kind !== 'add' && !isBlank(l.text));
  // Column 0, or a doc comment's ` * ` one column in: no indentation level to show a drift.
  const levelless = old.length > 0 && !old.some((l) => indentWidth(indentOf(l.text)) > 1);
  const only = foreignOnly || squashed;
  const follow = (l: HunkLine, i: number): string => {
    const replaced = squashed ? replacedIndent(t, lines, pl, i) : null;
    if (replaced !== null) return replaced + l.text.trimStart();
    if (map === null || !(squashed || levelless)) return l.text;
    return !only || foreignIndent(l.text, map) ? reindent(l.text, map) : l.text;
  };
  const texts: string[] = [];
  const original: string[] = [];
  lines.forEach((l, i) => {
    if (l.kind !== 'add') return;
    original.push(l.text);
    texts.push(follow(l, i));
  });
  const reindented = texts.filter((x, i) => x !== original[i]).length;
  if (reindented > 0) placed.set(pl.hunkIndex, { ...pl, added: texts, reindented });
}
