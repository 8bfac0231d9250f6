import { formatHeaderPath } from './paths.js';
import type { FilePatch, Hunk, HunkLine, PatchSet } from './types.js';

const PREFIX = { context: ' ', add: '+', remove: '-' } as const;
const NO_EOL = '\\ No newline at end of file';

export function hunkCounts(hunk: Hunk): { oldCount: number; newCount: number } {
  let oldCount = 0;
  let newCount = 0;
  for (const l of hunk.lines) {
    if (l.kind !== 'add') oldCount++;
    if (l.kind !== 'remove') newCount++;
  }
  return { oldCount, newCount };
}

function range(start: number | null, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** `@@ -a,b +c,d @@ section`; a hunk whose numbers are unknown prints as `@@ @@`. */
export function formatHunkHeader(hunk: Hunk): string {
  const { oldCount, newCount } = hunkCounts(hunk);
  const section = hunk.section ? ` ${hunk.section}` : '';
  if (hunk.oldStart === null || hunk.newStart === null) return `@@ @@${section}`;
  return `@@ -${range(hunk.oldStart, oldCount)} +${range(hunk.newStart, newCount)} @@${section}`;
}

function formatLine(l: HunkLine): string {
  const line = PREFIX[l.kind] + l.text + (l.crlf ? '\r\n' : '\n');
  return l.noEol ? `${line}${NO_EOL}\n` : line;
}

export function formatHunk(hunk: Hunk): string {
  return `${formatHunkHeader(hunk)}\n${hunk.lines.map(formatLine).join('')}`;
}

/** The `diff --git` header block of a file patch, git style. */
export function formatFileHeader(f: FilePatch): string {
  const oldP = f.oldPath ?? f.newPath ?? '';
  const newP = f.newPath ?? f.oldPath ?? '';
  let out = `diff --git ${formatHeaderPath('a/', oldP)} ${formatHeaderPath('b/', newP)}\n`;
  if (f.op === 'create') out += 'new file mode 100644\n';
  if (f.op === 'delete') out += 'deleted file mode 100644\n';
  if (f.op === 'rename') out += `rename from ${formatHeaderPath('', oldP)}\nrename to ${formatHeaderPath('', newP)}\n`;
  if (f.hunks.length > 0) {
    out += `--- ${f.oldPath === null ? '/dev/null' : formatHeaderPath('a/', f.oldPath)}\n`;
    out += `+++ ${f.newPath === null ? '/dev/null' : formatHeaderPath('b/', f.newPath)}\n`;
  }
  return out;
}

export function formatFilePatch(f: FilePatch): string {
  return formatFileHeader(f) + f.hunks.map(formatHunk).join('');
}

/** Canonical unified diff: git-style headers, counts computed from the lines. */
export function formatPatch(set: PatchSet): string {
  return set.files.map(formatFilePatch).join('');
}
