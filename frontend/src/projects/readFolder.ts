import { checkImportedFiles, decodeText, planImport, type ProjectFiles, type SkippedEntry } from '@patchpad/shared';

/**
 * A folder the user picked (`<input webkitdirectory>`), read with the same rules as a zip on
 * the server: node_modules and .git skipped unread, the enclosing folder stripped, binary
 * files skipped, limits checked. Throws ImportError naming the file.
 */
export async function readFolder(list: FileList): Promise<{ name: string; files: ProjectFiles; skipped: SkippedEntry[] }> {
  const byName = new Map<string, File>();
  for (const file of Array.from(list)) byName.set(file.webkitRelativePath || file.name, file);
  const plan = planImport([...byName.keys()]);
  const files: ProjectFiles = {};
  const skipped = [...plan.skipped];
  for (const [raw, path] of plan.keep) {
    const text = decodeText(new Uint8Array(await byName.get(raw)!.arrayBuffer()));
    if (text === null) skipped.push({ path, reason: 'binary file (projects hold text)' });
    else files[path] = text;
  }
  checkImportedFiles(files);
  const first = [...byName.keys()][0] ?? 'Imported folder';
  return { name: first.includes('/') ? first.slice(0, first.indexOf('/')) : 'Imported folder', files, skipped };
}
