import { reindent, type IndentMap } from './indent.js';
import { similarity } from './similarity.js';
import { indentOf, indentWidth, isBlank, TAB_WIDTH } from './text.js';
import type { HunkLine } from './types.js';

/**
 * Which added lines to re-indent when a hunk's old lines sit at another indentation than the
 * file's. Models often re-indent the context and removed lines but write the added lines in
 * the file's own style already; mapping those too halves or doubles their indentation, or
 * mixes spaces into a tab-indented file. So each added line is judged on its own:
 *
 * 1. characters: when the hunk's drift changed the indentation characters (tabs ↔ spaces), a
 *    line indented with the file's characters is in the file's style, one with the hunk's is not;
 * 2. the file's indentation unit: a reading that puts the line off the file's grid is out;
 * 3. the removed line it rewrites, when their text is mostly the same: it keeps that line's
 *    indentation;
 * 4. its neighbours: the line before it (one level deeper after an opening bracket or tag,
 *    one shallower for a closing one, else the same), the line after it, and the removed
 *    line it replaces each say where it should be; the reading that agrees with more wins.
 * 5. the hunk's block structure (byShape), when 1-3 settle nothing here nor in the file's other
 *    hunks: added lines that open or close blocks fit the file's blocks one way only.
 *
 * Lines 1-3 do not settle follow the lines that were settled, if those agree. When nothing
 * settles any line of a hunk that is merely shifted (same characters, same unit), the hunk
 * moved as a whole unless the neighbours say an added line is already where the file wants
 * it; then nobody can tell, and the hunk is refused: a guessed indentation is a wrong apply
 * that looks right. A style change (tabs ↔ spaces, 2 ↔ 4) goes by the neighbours.
 */

export type AddedPlan =
  | {
      ok: true;
      texts: string[];
      reindented: number;
      /** How the lines that needed a decision were read, when they all were read alike. */
      reading: Reading | null;
      /** The reading the hunk's own decisive evidence gave, when it was unanimous. */
      decisive: Reading | null;
    }
  | { ok: false; line: string; asWritten: number; mapped: number };

export type Reading = 'keep' | 'map';

export interface FileStyle {
  tabs: boolean;
  /** Columns per indentation level. */
  unit: number;
}

function code(line: string): string {
  return line
    .trim()
    .replace(/\s*\/\/.*$/, '')
    .replace(/\s*\/\*.*\*\/$/, '')
    .trim();
}

export function opens(line: string): boolean {
  const t = code(line);
  if (/[{([]$/.test(t) || /=>$/.test(t)) return true;
  // A JSX/HTML tag left open: `<div className="x">` or a multi-line `<Button` start.
  return /^<[A-Za-z][\w.]*(\s[^<>]*)?>$/.test(t) || /^<[A-Za-z][\w.]*$/.test(t);
}

export function closes(line: string): boolean {
  return /^([}\])]|<\/|\/>)/.test(line.trim());
}

function chars(indent: string): 'tabs' | 'spaces' | 'mixed' | 'none' {
  if (indent === '') return 'none';
  if (/^\t+ {0,3}$/.test(indent)) return 'tabs';
  if (/^ +$/.test(indent)) return 'spaces';
  return 'mixed';
}

interface Ctx {
  lines: readonly HunkLine[];
  /** File text of each old line of the hunk, by hunk line index. */
  fileText: Map<number, string>;
  map: IndentMap;
  style: FileStyle;
  /** Characters the hunk's drifted old lines use, when they differ from the file's. */
  hunkChars: 'tabs' | 'spaces' | null;
}

function byCharacters(ctx: Ctx, text: string): Reading | null {
  if (ctx.hunkChars === null) return null;
  const c = chars(indentOf(text));
  const fileChars = ctx.style.tabs ? 'tabs' : 'spaces';
  if (c === fileChars) return 'keep';
  if (c === ctx.hunkChars) return 'map';
  return null;
}

/** A hunk written one or more levels deeper: a line that lacks that extra prefix was not. */
function byPrefix(ctx: Ctx, text: string): Reading | null {
  return ctx.map.kind === 'strip' && !indentOf(text).startsWith(ctx.map.prefix) ? 'keep' : null;
}

/** The same indentation style, moved by whole columns: the hunk's own text is then self-consistent either way. */
function isShift(map: IndentMap): boolean {
  return map.kind !== 'columns' || map.scale === 1;
}

/** Columns per indentation level in the file: a tab stop, or the spaces' unit. */
function levelWidth(style: FileStyle): number {
  return style.tabs ? TAB_WIDTH : style.unit;
}

/** On the file's indentation grid; a block comment's ` * ` lines sit one column right of it. */
function onGrid(width: number, style: FileStyle, text: string): boolean {
  const rest = width % levelWidth(style);
  return rest === 0 || (rest === 1 && text.trimStart().startsWith('*'));
}

function byGrid(ctx: Ctx, keep: string, mapped: string): Reading | null {
  const k = onGrid(indentWidth(indentOf(keep)), ctx.style, keep);
  const m = onGrid(indentWidth(indentOf(mapped)), ctx.style, mapped);
  return k === m ? null : k ? 'keep' : 'map';
}

/** Widths the neighbours of added line `i` suggest, in file columns. */
function expectations(ctx: Ctx, i: number, decided: ReadonlyMap<number, string>, text: string): number[] {
  const unit = levelWidth(ctx.style);
  const out: number[] = [];
  const newSide = (j: number) => (ctx.lines[j]!.kind === 'add' ? decided.get(j) : ctx.lines[j]!.kind === 'context' ? ctx.fileText.get(j) : undefined);
  for (let j = i - 1; j >= 0; j--) {
    const prev = newSide(j);
    if (prev === undefined || isBlank(prev)) continue;
    const w = indentWidth(indentOf(prev));
    out.push(opens(prev) && closes(text) ? w : opens(prev) ? w + unit : closes(text) ? w - unit : w);
    break;
  }
  for (let j = i + 1; j < ctx.lines.length; j++) {
    const next = ctx.lines[j]!.kind === 'context' ? ctx.fileText.get(j) : undefined;
    if (next === undefined || isBlank(next)) continue;
    const w = indentWidth(indentOf(next));
    out.push(opens(text) && closes(next) ? w : opens(text) ? w - unit : closes(next) ? w + unit : w);
    break;
  }
  const replaced = replacedLine(ctx, i);
  if (replaced !== undefined && !isBlank(replaced)) out.push(indentWidth(indentOf(replaced)));
  return out;
}

/** The hunk index of the removed line added line `i` replaces: the k-th added line of a group after k removed ones. */
export function replacedIndex(lines: readonly HunkLine[], i: number): number | undefined {
  let g = i;
  while (g > 0 && lines[g - 1]!.kind === 'add') g--;
  let r = g;
  while (r > 0 && lines[r - 1]!.kind === 'remove') r--;
  return r + (i - g) < g ? r + (i - g) : undefined;
}

/** The file's text of the removed line added line `i` replaces. */
function replacedLine(ctx: Ctx, i: number): string | undefined {
  const k = replacedIndex(ctx.lines, i);
  return k === undefined ? undefined : ctx.fileText.get(k);
}

/** Whether `added` rewrites `removed`: mostly the same text, or the same code with a comment added or changed (`}` → `} // done`). */
export function rewrites(removed: string, added: string): boolean {
  return similarity(removed.trim(), added.trim()) >= 0.6 || (code(added) !== '' && similarity(code(removed), code(added)) >= 0.6);
}

/** A line that rewrites the removed line it replaces (mostly the same text) keeps that line's indentation. */
function byReplaced(ctx: Ctx, i: number, keep: string, mapped: string): Reading | null {
  const replaced = replacedLine(ctx, i);
  if (replaced === undefined || isBlank(replaced) || !rewrites(replaced, keep)) return null;
  const w = indentWidth(indentOf(replaced));
  const k = indentWidth(indentOf(keep)) === w;
  const m = indentWidth(indentOf(mapped)) === w;
  return k === m ? null : k ? 'keep' : 'map';
}

const isCase = (line: string) => /^(case\b|default\s*:)/.test(line.trim());

/**
 * How well the hunk's new side holds together as blocks when every added line that needs a
 * decision is read one way: adjacent non-blank lines, one of them added, are checked against
 * rules well-formed code keeps whatever its style. A line after an opening one is deeper (one
 * level is exact) unless it closes that block or is a `case` its `switch` may keep level with;
 * a line before a closing one is deeper than it (one level is exact) unless it opens or closes
 * a block itself; a closing line after a closing line is not deeper than it.
 */
function blockShape(ctx: Ctx, texts: ReadonlyMap<number, string>): { breaks: number; exact: number } {
  const unit = levelWidth(ctx.style);
  const side: Array<{ text: string; added: boolean }> = [];
  ctx.lines.forEach((l, i) => {
    const text = l.kind === 'add' ? (texts.get(i) ?? l.text) : l.kind === 'context' ? ctx.fileText.get(i) : undefined;
    if (text !== undefined && !isBlank(text)) side.push({ text, added: l.kind === 'add' });
  });
  let breaks = 0;
  let exact = 0;
  for (let k = 1; k < side.length; k++) {
    const [a, b] = [side[k - 1]!, side[k]!];
    if (!a.added && !b.added) continue;
    const wa = indentWidth(indentOf(a.text));
    const wb = indentWidth(indentOf(b.text));
    if (opens(a.text) && !closes(b.text) && !isCase(b.text)) {
      if (wb <= wa) breaks++;
      else if (wb === wa + unit) exact++;
    } else if (closes(b.text) && !closes(a.text)) {
      if (wa <= wb) breaks++;
      else if (wa === wb + unit) exact++;
    } else if (closes(a.text) && closes(b.text) && wb > wa) breaks++;
  }
  return { breaks, exact };
}

/**
 * The reading under which the hunk is well-formed, when only one is: no rule broken and at least
 * one line exactly where its block wants it, while the other reading breaks a rule. It assumes
 * the model meant well-formed code, so it ranks below the evidence the lines themselves give.
 * Only for added lines that open or close a block: those are checked against each other and
 * both of the block's ends. Plain statements alone lean on one neighbour each, and an inserted
 * statement misplaced as meant still reads as well-formed one way (bench:patch's tuning set
 * has such cases: 13 wrong applies without this condition, none with it).
 */
function byShape(ctx: Ctx, open: ReadonlyMap<number, { keep: string; mapped: string }>): Reading | null {
  if (![...open.values()].some((t) => opens(t.keep) || closes(t.keep))) return null;
  const keep = blockShape(ctx, new Map([...open].map(([i, t]) => [i, t.keep])));
  const map = blockShape(ctx, new Map([...open].map(([i, t]) => [i, t.mapped])));
  if (keep.breaks === 0 && keep.exact > 0 && map.breaks > 0) return 'keep';
  if (map.breaks === 0 && map.exact > 0 && keep.breaks > 0) return 'map';
  return null;
}

function byNeighbours(ctx: Ctx, i: number, decided: ReadonlyMap<number, string>, keep: string, mapped: string): Reading | null {
  const want = expectations(ctx, i, decided, keep);
  const k = want.filter((w) => w === indentWidth(indentOf(keep))).length;
  const m = want.filter((w) => w === indentWidth(indentOf(mapped))).length;
  return k === m ? null : k > m ? 'keep' : 'map';
}

function driftChars(ctx: Omit<Ctx, 'hunkChars'>): 'tabs' | 'spaces' | null {
  const seen = new Set<string>();
  for (const l of ctx.lines) {
    if (l.kind === 'add' || isBlank(l.text)) continue;
    const c = chars(indentOf(l.text));
    if (c === 'tabs' || c === 'spaces') seen.add(c);
  }
  const fileChars = ctx.style.tabs ? 'tabs' : 'spaces';
  if (seen.size !== 1 || seen.has(fileChars)) return null;
  return [...seen][0] as 'tabs' | 'spaces';
}

/**
 * Decides every added line of a hunk whose old lines matched the file under `map`.
 * `fileText` gives the file's own text for each old line (by hunk line index).
 */
export function planAddedLines(lines: readonly HunkLine[], fileText: Map<number, string>, map: IndentMap, style: FileStyle, prior?: Reading): AddedPlan {
  const base = { lines, fileText, map, style };
  const ctx: Ctx = { ...base, hunkChars: driftChars(base) };
  const decided = new Map<number, string>();
  const strong = new Map<number, Reading>();
  const evidence: Reading[] = [];
  const weak = new Map<number, Reading | null>();
  const open = new Map<number, { keep: string; mapped: string }>();
  lines.forEach((l, i) => {
    if (l.kind !== 'add') return;
    const mapped = reindent(l.text, map);
    if (isBlank(l.text)) return void decided.set(i, l.text);
    if (mapped === l.text) {
      // Nothing to decide for this line, but a line without the hunk's extra prefix is
      // evidence for its neighbours: the added lines were written in the file's style.
      if (byPrefix(ctx, l.text) === 'keep') evidence.push('keep');
      return void decided.set(i, l.text);
    }
    const s = byCharacters(ctx, l.text) ?? byPrefix(ctx, l.text) ?? byGrid(ctx, l.text, mapped) ?? byReplaced(ctx, i, l.text, mapped);
    if (s !== null) strong.set(i, s);
    open.set(i, { keep: l.text, mapped });
    const w = s ?? byNeighbours(ctx, i, decided, l.text, mapped);
    weak.set(i, w);
    // Later lines judge their neighbours by this one's likeliest reading.
    decided.set(i, w === 'map' ? mapped : l.text);
  });
  const verdicts = [...strong.values(), ...evidence];
  const unanimous = verdicts.length > 0 && verdicts.every((v) => v === verdicts[0]) ? verdicts[0]! : null;
  const shape = verdicts.length === 0 && !prior ? byShape(ctx, open) : null;
  const reading = (i: number): Reading | null => {
    const s = strong.get(i);
    if (s) return s;
    // Hunk-wide evidence against this line's own neighbours: nobody can tell.
    const unlessNeighboursDisagree = (r: Reading) => (weak.get(i) != null && weak.get(i) !== r ? null : r);
    if (unanimous) return unlessNeighboursDisagree(unanimous);
    // What the file's other hunks showed decisively, when this one shows nothing decisive.
    if (prior && verdicts.length === 0) return prior;
    // Block structure, below both: it assumes the model meant well-formed code.
    if (shape) return unlessNeighboursDisagree(shape);
    if (verdicts.length > 0 || !isShift(map)) return weak.get(i) ?? null;
    // A shift with nothing decisive: the whole hunk moved (the old reading), unless a
    // neighbour says this line is already where the file wants it: then nobody can tell.
    return weak.get(i) === 'keep' ? null : 'map';
  };
  const texts: string[] = [];
  let reindented = 0;
  let decidedCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.kind !== 'add') continue;
    if (!weak.has(i)) {
      texts.push(l.text);
      continue;
    }
    const r = reading(i);
    const mapped = reindent(l.text, map);
    if (r === null) return { ok: false, line: l.text, asWritten: indentWidth(indentOf(l.text)), mapped: indentWidth(indentOf(mapped)) };
    decidedCount++;
    if (r === 'map') reindented++;
    texts.push(r === 'map' ? mapped : l.text);
  }
  const overall = decidedCount === 0 ? null : reindented === decidedCount ? 'map' : reindented === 0 ? 'keep' : null;
  return { ok: true, texts, reindented, reading: overall, decisive: unanimous };
}
