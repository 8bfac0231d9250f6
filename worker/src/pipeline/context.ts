import type { ContextReport, TaskInput } from '@patchpad/shared';
import { countTokens } from '@patchpad/shared/tokens';

/** What the model can take: its whole window and what its answer may use of it. */
export type ModelLimits = { contextWindow: number; maxOutputTokens: number };
/** When the gateway does not say (another OpenAI-compatible endpoint): a common small window. */
export const DEFAULT_LIMITS: ModelLimits = { contextWindow: 32_768, maxOutputTokens: 4_096 };

/** One file as the prompt shows it: whole, or cut with markers where text was left out. */
export type ShownFile = { path: string; text: string; truncated: boolean };
export type FittedContext = { files: ShownFile[]; report: ContextReport };

/** Below this many tokens a file is listed by name rather than shown as a stub. */
const MIN_USEFUL_TOKENS = 200;
const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.json', '.css', '/index.ts', '/index.tsx', '/index.js', '/index.jsx'];

/**
 * Tokens the files may use: the window, minus the answer's reserve (once per model call the
 * task may make: the first and each repair round), minus what the rest of the prompt costs,
 * minus a 5 % margin for tokenizer differences between model families.
 */
export function fileBudget(limits: ModelLimits, overheadTokens: number, calls: number): number {
  const answer = Math.min(limits.maxOutputTokens, Math.floor(limits.contextWindow / 4));
  return Math.max(0, Math.floor(limits.contextWindow * 0.95) - answer * calls - overheadTokens);
}

export function focusedPath(input: TaskInput): string | undefined {
  const path = input.selection?.path ?? input.cursor?.path ?? input.activePath;
  return path !== undefined && path in input.files ? path : undefined;
}

/** Relative imports of a JS/TS file resolved to project paths, in the order they appear. */
export function importsOf(path: string, files: Record<string, string>): string[] {
  const source = files[path] ?? '';
  const dir = path.split('/').slice(0, -1);
  const out: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) {
    const parts = [...dir];
    for (const seg of match[1]!.split('/')) {
      if (seg === '..') parts.pop();
      else if (seg !== '.') parts.push(seg);
    }
    const base = parts.join('/');
    const hit = EXTENSIONS.map((ext) => base + ext).find((p) => p in files);
    if (hit && hit !== path && !out.includes(hit)) out.push(hit);
  }
  return out;
}

/** The focused file, then what it imports (breadth first), then the rest, smallest first. */
export function contextOrder(input: TaskInput): string[] {
  const focus = focusedPath(input);
  const order: string[] = [];
  if (focus) {
    const queue = [focus];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (order.includes(path)) continue;
      order.push(path);
      queue.push(...importsOf(path, input.files));
    }
  }
  const rest = Object.keys(input.files)
    .filter((p) => !order.includes(p))
    .sort((a, b) => input.files[a]!.length - input.files[b]!.length || a.localeCompare(b));
  return [...order, ...rest];
}

/** Fits files into `budget` tokens in context order; cuts what does not fit whole and says so. */
export function fitFiles(input: TaskInput, budget: number): FittedContext {
  const focus = focusedPath(input);
  const files: ShownFile[] = [];
  const omitted: string[] = [];
  const truncated: string[] = [];
  let used = 0;
  for (const path of contextOrder(input)) {
    const left = budget - used;
    if (left < MIN_USEFUL_TOKENS && path !== focus) {
      omitted.push(path);
      continue;
    }
    const content = input.files[path]!;
    // "File: <path>", the fences and the note of a shortened file.
    const frame = countTokens(path) + 24;
    const tokens = countTokens(content) + frame;
    if (tokens <= left) {
      files.push({ path, text: content, truncated: false });
      used += tokens;
      continue;
    }
    const room = Math.max(0, left - frame);
    const cut = path === focus ? cutAround(path, content, focusLines(input, content), room) : cutAround(path, content, [1, 1], room);
    files.push({ path, text: cut.text, truncated: true });
    truncated.push(path);
    used += cut.tokens + frame;
  }
  return { files, report: { budgetTokens: budget, usedTokens: used, omitted, truncated } };
}

function focusLines(input: TaskInput, content: string): [number, number] {
  if (input.selection) return [input.selection.startLine, input.selection.endLine];
  if (input.cursor) return [input.cursor.line, input.cursor.line];
  return [1, Math.min(1, content.split('\n').length)];
}

/**
 * Keeps the lines around [from, to] (1-based), growing the window down and up in turn while
 * it fits `budget` tokens, and marks each gap so neither model nor reader mistakes it for the file.
 */
export function cutAround(path: string, content: string, [from, to]: [number, number], budget: number): { text: string; tokens: number } {
  // A final newline ends the last line; it does not start another.
  const lines = (content.endsWith('\n') ? content.slice(0, -1) : content).split('\n');
  const cost = lines.map((l) => countTokens(l) + 1);
  const marker = (a: number, b: number) => `… [lines ${a}-${b} of ${path} left out to fit the model's context] …`;
  const markerCost = 2 * (countTokens(marker(lines.length, lines.length)) + 1);
  let start = Math.max(0, Math.min(from, lines.length) - 1);
  let end = Math.max(start, Math.min(to, lines.length) - 1);
  let used = markerCost + cost.slice(start, end + 1).reduce((a, b) => a + b, 0);
  // The selection itself may not fit: keep its first lines.
  while (used > budget && end > start) used -= cost[end--]!;
  for (let grew = true; grew;) {
    grew = false;
    if (end + 1 < lines.length && used + cost[end + 1]! <= budget) {
      used += cost[++end]!;
      grew = true;
    }
    if (start > 0 && used + cost[start - 1]! <= budget) {
      used += cost[--start]!;
      grew = true;
    }
  }
  const shown = lines.slice(start, end + 1);
  if (start > 0) shown.unshift(marker(1, start));
  if (end < lines.length - 1) shown.push(marker(end + 2, lines.length));
  return { text: shown.join('\n'), tokens: used };
}
