import { mergeFile, type ProjectFiles } from '@patchpad/shared';

/** Paths whose buffer differs from the saved version: the "unsaved" markers. */
export function dirtyPaths(files: ProjectFiles, base: ProjectFiles): Set<string> {
  return new Set([...Object.keys(files), ...Object.keys(base)].filter((p) => files[p] !== base[p]));
}

/**
 * After a save answered: the new base is what was sent plus what the server's merge changed
 * (`merged`: path → content, null = deleted). The buffers take the merged content too, except
 * where the user kept typing while the save was in flight: there the typing is merged with it
 * (three-way, base = what was sent), or, if it clashes, kept as it is (it stays unsaved).
 */
export function afterSaved(sent: ProjectFiles, current: ProjectFiles, merged: Record<string, string | null> = {}): { base: ProjectFiles; files: ProjectFiles } {
  const base: ProjectFiles = { ...sent };
  const files: ProjectFiles = { ...current };
  for (const [path, content] of Object.entries(merged)) {
    if (content === null) delete base[path];
    else base[path] = content;
    const r = mergeFile(sent[path] ?? null, current[path] ?? null, content);
    if ('conflict' in r) continue;
    if (r.content === null) delete files[path];
    else files[path] = r.content;
  }
  return { base, files };
}
