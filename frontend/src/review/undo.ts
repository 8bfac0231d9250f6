import { mergeFile, type ProjectFiles } from '@patchpad/shared';

/** What applying a patch changed: each affected path's content before and after (null = absent). */
export type AppliedChange = { before: Record<string, string | null>; after: Record<string, string | null> };

export function changeBetween(before: ProjectFiles, after: ProjectFiles): AppliedChange {
  const change: AppliedChange = { before: {}, after: {} };
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[path] === after[path]) continue;
    change.before[path] = before[path] ?? null;
    change.after[path] = after[path] ?? null;
  }
  return change;
}

/**
 * Takes a whole applied patch back out of the current files. Where the user has typed since,
 * only the patch's own lines are reverted (a three-way merge: base = right after the patch,
 * mine = now, theirs = before it); a file whose later edits touch the patched lines is left
 * as it is and reported, so nothing typed is lost.
 */
export function undoChange(current: ProjectFiles, change: AppliedChange): { files: ProjectFiles; kept: string[] } {
  const files: ProjectFiles = { ...current };
  const kept: string[] = [];
  for (const path of Object.keys(change.after)) {
    const r = mergeFile(change.after[path] ?? null, current[path] ?? null, change.before[path] ?? null);
    if ('conflict' in r) kept.push(path);
    else if (r.content === null) delete files[path];
    else files[path] = r.content;
  }
  return { files, kept };
}
