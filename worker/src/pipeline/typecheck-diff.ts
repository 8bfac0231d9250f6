import type { TypeCheckError } from '@patchpad/shared';

/**
 * Which compiler errors a patch introduced: the errors after it minus the errors before it,
 * matched so that line shifts do not matter. An error is the same error when its file, code
 * and message are the same and it sits on a line with the same text; errors still unmatched
 * then pair up by file, code and message alone (the patch edited the line but kept the error).
 * Counts matter: a second identical error on a copied line is new.
 */

export interface LocatedError extends TypeCheckError {
  /** The text of the line the error starts on, trimmed. */
  lineText: string;
}

function take(pool: Map<string, number>, key: string): boolean {
  const n = pool.get(key) ?? 0;
  if (n === 0) return false;
  pool.set(key, n - 1);
  return true;
}

function countBy(errors: readonly LocatedError[], key: (e: LocatedError) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of errors) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
  return m;
}

/**
 * `renamed` maps a file's path after the patch to its path before (renames), so that errors
 * of a renamed file compare with the same file's errors before.
 */
export function newErrors(before: readonly LocatedError[], after: readonly LocatedError[], renamed: ReadonlyMap<string, string> = new Map()): LocatedError[] {
  const origin = (e: LocatedError) => renamed.get(e.path) ?? e.path;
  const exact = (path: string, e: LocatedError) => `${path}\u0000${e.code}\u0000${e.message}\u0000${e.lineText}`;
  const loose = (path: string, e: LocatedError) => `${path}\u0000${e.code}\u0000${e.message}`;
  const exactPool = countBy(before, (e) => exact(e.path, e));
  const unmatched = after.filter((e) => !take(exactPool, exact(origin(e), e)));
  // Before-errors that found no exact partner are the ones left for the looser pass.
  const leftBefore: LocatedError[] = [];
  const used = countBy(after, (e) => exact(origin(e), e));
  for (const e of before) {
    if (!take(used, exact(e.path, e))) leftBefore.push(e);
  }
  const loosePool = countBy(leftBefore, (e) => loose(e.path, e));
  return unmatched.filter((e) => !take(loosePool, loose(origin(e), e)));
}
