import type { ConflictCandidate, PatchConflict } from './types.js';

/**
 * Conflict messages. Each says what is wrong and how to fix the diff, because the same text is
 * sent back to the model in a repair round.
 */

function hunkName(path: string, hunkIndex: number): string {
  return `Hunk ${hunkIndex + 1} of ${path}`;
}

function closest(candidates: readonly ConflictCandidate[]): string {
  const c = candidates[0];
  if (!c) return '';
  return ` The closest place is line ${c.line} (${Math.round(c.score * 100)}% of the hunk's old lines match there):\n${c.preview}\n`;
}

function quote(line: string): string {
  return `\`${line.length > 100 ? `${line.slice(0, 97)}...` : line}\``;
}

export function removedNotFound(path: string, hunkIndex: number, missing: string | null, candidates: ConflictCandidate[]): PatchConflict {
  const what = missing !== null ? `: ${quote(missing)} does not occur anywhere in the file.` : ' together with its context at any one place.';
  return {
    path,
    hunkIndex,
    reason: 'removed_lines_not_found',
    message:
      `${hunkName(path, hunkIndex)} removes lines that are not in the file${what}${closest(candidates)} ` +
      'Re-read the current file and copy its lines exactly for the `-` and context lines of this hunk.',
    candidates,
  };
}

export function contextNotFound(path: string, hunkIndex: number, candidates: ConflictCandidate[]): PatchConflict {
  return {
    path,
    hunkIndex,
    reason: 'context_not_found',
    message:
      `${hunkName(path, hunkIndex)}: its context lines are not in the file.${closest(candidates)} ` +
      'Re-read the current file and copy 3 unchanged lines before and after the change exactly as context.',
    candidates,
  };
}

export function ambiguous(path: string, hunkIndex: number, candidates: ConflictCandidate[]): PatchConflict {
  const lines = candidates.map((c) => c.line).join(', ');
  return {
    path,
    hunkIndex,
    reason: 'ambiguous',
    message:
      `${hunkName(path, hunkIndex)} matches ${candidates.length} places about equally well (lines ${lines}), so it was not applied. ` +
      'Add more unchanged context lines around the change until it matches one place only, or give the correct line numbers in its `@@` header.',
    candidates,
  };
}

export function overlapping(path: string, hunkIndex: number, otherIndex: number, fromLine: number, toLine: number): PatchConflict {
  return {
    path,
    hunkIndex,
    reason: 'overlapping_hunks',
    message:
      `${hunkName(path, hunkIndex)} changes lines ${fromLine}-${toLine}, which overlap hunk ${otherIndex + 1}. ` +
      'Merge the two hunks into one, or make each cover different lines.',
    candidates: [],
  };
}

export function noAnchor(path: string, hunkIndex: number): PatchConflict {
  return {
    path,
    hunkIndex,
    reason: 'no_anchor',
    message:
      `${hunkName(path, hunkIndex)} has no context or removed lines and no line number, so there is no way to tell where it goes. ` +
      'Include 3 unchanged lines before and after the added lines as context.',
    candidates: [],
  };
}

export function alreadyApplied(path: string, hunkIndex: number, line: number): PatchConflict {
  return {
    path,
    hunkIndex,
    reason: 'already_applied',
    message:
      `${hunkName(path, hunkIndex)} seems to be applied already: the file has its resulting lines at line ${line} but not its old lines. ` +
      'Leave this hunk out of the patch, or diff against the current content of the file.',
    candidates: [],
  };
}

export function fileNotFound(path: string): PatchConflict {
  return {
    path,
    hunkIndex: null,
    reason: 'file_not_found',
    message: `${path} is not in the project. Patch an existing file using its exact path, or create the file with \`--- /dev/null\` and \`+++ b/${path}\`.`,
    candidates: [],
  };
}

export function fileExists(path: string, detail: string): PatchConflict {
  return {
    path,
    hunkIndex: null,
    reason: 'file_exists',
    message: `${path} already exists, so it cannot be ${detail}. Send a diff that modifies the existing file instead (\`--- a/${path}\`, \`+++ b/${path}\`).`,
    candidates: [],
  };
}

export function deletionIncomplete(path: string, remaining: number): PatchConflict {
  return {
    path,
    hunkIndex: null,
    reason: 'removed_lines_not_found',
    message:
      `The deletion of ${path} does not remove all of its lines (${remaining} would remain). ` +
      'To delete the file, list every current line as `-`, or send only the header `deleted file mode 100644` with `+++ /dev/null`.',
    candidates: [],
  };
}

export function indentationAmbiguous(path: string, hunkIndex: number, line: string, asWritten: number, mapped: number): PatchConflict {
  return {
    path,
    hunkIndex,
    reason: 'ambiguous_indentation',
    message:
      `${hunkName(path, hunkIndex)} is indented differently from the file, and its added line ${quote(line.trim())} could be meant at ` +
      `${asWritten} columns (as written) or at ${mapped} (re-indented like the hunk's other lines), so it was not applied. ` +
      "Write every line of the hunk (context, removed and added) with the file's own indentation, copied exactly.",
    candidates: [],
  };
}

export function pathAmbiguous(path: string, fits: readonly string[]): PatchConflict {
  return {
    path,
    hunkIndex: null,
    reason: 'ambiguous_path',
    message:
      `${path} is not a project path, and ${fits.length} project files could be meant: ${fits.join(', ')}. ` +
      'Name the file with its exact path from the project root in the `--- a/<path>` and `+++ b/<path>` lines.',
    candidates: [],
  };
}

export function openInsertion(path: string, hunkIndex: number): PatchConflict {
  return {
    path,
    hunkIndex,
    reason: 'ambiguous',
    message:
      `${hunkName(path, hunkIndex)} leaves out file lines right next to its added lines, so it is unclear whether they go before or after the lines left out. ` +
      'Copy the unchanged lines around the change exactly and completely, with no line skipped, as context.',
    candidates: [],
  };
}
