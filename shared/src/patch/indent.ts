import { TAB_WIDTH, indentOf, indentWidth, isBlank } from './text.js';

/**
 * How a hunk's indentation maps onto the file's. Preferably as text: the hunk has `prefix`
 * more (`strip`) or less (`add`) leading whitespace on every line, which keeps the file's exact
 * characters. Otherwise in columns: fileWidth = scale × hunkWidth + shift, rendered with the
 * file's indentation character (2 spaces for 4, tabs for spaces).
 */
export type IndentMap = { kind: 'strip' | 'add'; prefix: string; useTabs: boolean } | { kind: 'columns'; scale: number; shift: number; useTabs: boolean };

/** Whether the file indents with tabs (judged by its lines' leading characters). */
export function fileUsesTabs(lines: readonly string[]): boolean {
  let tabs = 0;
  let spaces = 0;
  for (const l of lines) {
    if (l.startsWith('\t')) tabs++;
    // One space is alignment (` * ` in a doc comment), not an indentation level.
    else if (l.startsWith('  ') && !isBlank(l)) spaces++;
  }
  return tabs > spaces;
}

/** Columns per indentation level of a space-indented file: the commoner step of 2 and 4 columns. */
export function fileIndentUnit(lines: readonly string[]): number {
  let twos = 0;
  let fours = 0;
  let prev = 0;
  for (const l of lines) {
    if (isBlank(l)) continue;
    const w = indentWidth(indentOf(l));
    const d = Math.abs(w - prev);
    if (d === 2) twos++;
    else if (d === 4) fours++;
    prev = w;
  }
  return fours > twos ? 4 : 2;
}

/** The same extra leading whitespace in front of every pair's indentation, as text, or null. */
function prefixMap(pairs: ReadonlyArray<[string, string]>, useTabs: boolean): IndentMap | null {
  const [h0, f0] = pairs.find(([h, f]) => h !== f)!;
  if (h0.endsWith(f0)) {
    const prefix = h0.slice(0, h0.length - f0.length);
    if (pairs.every(([h, f]) => h === prefix + f)) return { kind: 'strip', prefix, useTabs };
  } else if (f0.endsWith(h0)) {
    const prefix = f0.slice(0, f0.length - h0.length);
    if (pairs.every(([h, f]) => f === prefix + h)) return { kind: 'add', prefix, useTabs };
  }
  return null;
}

/**
 * A doc comment's ` * ` lines sit one column right of an indentation level; a change of style
 * rescales the level and keeps that column.
 */
function scaled(width: number, scale: number, shift: number): number {
  const odd = scale !== 1 && width % 2 === 1 ? 1 : 0;
  return scale * (width - odd) + odd + shift;
}

function columnMap(pairs: ReadonlyArray<[string, string]>, useTabs: boolean): IndentMap | null {
  const points = pairs.map(([h, f]) => [indentWidth(h), indentWidth(f)] as const);
  const levels = points.filter((p) => p[0] % 2 === 0 || p[0] === p[1]);
  let lo = levels[0] ?? points[0]!;
  let hi = lo;
  for (const p of levels) {
    if (p[0] < lo[0]) lo = p;
    if (p[0] > hi[0]) hi = p;
  }
  // A scale (2 spaces for 4) needs two indented levels to show it; otherwise only a shift.
  const widths = new Set(levels.map((p) => p[0]));
  // One level seen: a change of characters (tabs ↔ spaces) maps a level to a level; the
  // same characters moved are a shift.
  const restyled = pairs.some(([h, f]) => h.includes('\t') !== f.includes('\t'));
  const scale = widths.size >= 2 ? (hi[1] - lo[1]) / (hi[0] - lo[0]) : restyled && hi[0] > 0 ? hi[1] / hi[0] : 1;
  // Only the ratios of real indentation styles (2 ↔ 4 columns per level); others are noise.
  if (scale !== 0.5 && scale !== 1 && scale !== 2) return null;
  // A change of style rescales (2 → 4 columns); a rescale plus a shift is overfitting.
  const shift = scale === 1 ? hi[1] - hi[0] : 0;
  for (const [h, f] of points) if (scaled(h, scale, shift) !== f) return null;
  return { kind: 'columns', scale, shift, useTabs };
}

/**
 * Fits an IndentMap to matched (hunk line, file line) pairs. Returns 'identity' when the
 * indentation is already the file's, null when no single map explains every pair.
 */
export function fitIndent(hunkLines: readonly string[], fileLines: readonly string[], fileTabs: boolean): IndentMap | 'identity' | null {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < hunkLines.length; i++) {
    if (isBlank(hunkLines[i]!) || isBlank(fileLines[i]!)) continue;
    pairs.push([indentOf(hunkLines[i]!), indentOf(fileLines[i]!)]);
  }
  if (pairs.every(([h, f]) => h === f)) return 'identity';
  return prefixMap(pairs, fileTabs) ?? columnMap(pairs, fileTabs);
}

/** Whether `map` explains every (hunk line, file line) pair's indentation. */
export function mapFits(map: IndentMap, hunkLines: readonly string[], fileLines: readonly string[]): boolean {
  for (let i = 0; i < hunkLines.length; i++) {
    if (isBlank(hunkLines[i]!) || isBlank(fileLines[i]!)) continue;
    if (indentWidth(indentOf(reindent(hunkLines[i]!, map))) !== indentWidth(indentOf(fileLines[i]!))) return false;
  }
  return true;
}

/** A change of indentation style (2 ↔ 4 columns a level, or tabs ↔ spaces), not a mere shift. */
export function isRestyle(map: IndentMap): boolean {
  return map.kind === 'columns' && (map.scale !== 1 || map.useTabs);
}

/** The map as a column shift (for text maps applied to lines they do not fit). */
export function isShiftByOne(map: IndentMap): boolean {
  if (map.kind === 'columns') return map.scale === 1 && map.shift === 1;
  return map.kind === 'add' && map.prefix === ' ';
}

function renderIndent(width: number, useTabs: boolean): string {
  if (!useTabs) return ' '.repeat(width);
  return '\t'.repeat(Math.floor(width / TAB_WIDTH)) + ' '.repeat(width % TAB_WIDTH);
}

/** Re-indents an added line with the map; blank lines are left as they are. */
export function reindent(line: string, map: IndentMap): string {
  if (isBlank(line)) return line;
  const indent = indentOf(line);
  if (map.kind === 'add') return map.prefix + line;
  if (map.kind === 'strip' && indent.startsWith(map.prefix)) return line.slice(map.prefix.length);
  const scale = map.kind === 'columns' ? map.scale : 1;
  const shift = map.kind === 'columns' ? map.shift : -indentWidth(map.prefix);
  const width = Math.max(0, Math.round(scaled(indentWidth(indent), scale, shift)));
  return renderIndent(width, map.useTabs) + line.slice(indent.length);
}
