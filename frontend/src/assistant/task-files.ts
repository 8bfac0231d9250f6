import type { ProjectFiles } from '@patchpad/shared';

/**
 * What a task request carries of the project: with a saved version, only the files that differ
 * from it (and the paths deleted since), so asking about a large project sends kilobytes, not
 * megabytes; the API fills in the rest from the saved version. Without one (a project never
 * saved), every file.
 */
export function taskFiles(files: ProjectFiles, base: ProjectFiles, version: string | null): { files: ProjectFiles; baseVersion?: string; deleted?: string[] } {
  if (!version) return { files };
  const changed: ProjectFiles = {};
  for (const [path, text] of Object.entries(files)) if (base[path] !== text) changed[path] = text;
  const deleted = Object.keys(base).filter((path) => !(path in files));
  return { files: changed, baseVersion: version, ...(deleted.length > 0 ? { deleted } : {}) };
}
