/** Why a text could not be read as a patch. Each reason has a message telling how to fix it. */
export type PatchErrorReason =
  | 'not_a_diff' // no hunks or file headers at all
  | 'missing_file_header' // hunks with no `--- a/path` / `+++ b/path` to say which file
  | 'binary_patch' // a binary patch: only text diffs are supported
  | 'no_changes' // file headers but no hunk, creation, deletion or rename
  | 'multiple_files'; // a single-file operation got a multi-file patch

const HOW_TO_WRITE_A_DIFF =
  'Reply with a unified diff: for each file a `--- a/<path>` line and a `+++ b/<path>` line ' +
  '(`/dev/null` for a created or deleted file), then hunks starting with `@@ -<old start>,<count> ' +
  '+<new start>,<count> @@`, whose lines start with a space (unchanged context), `-` (removed) or `+` (added).';

/**
 * The one error type of the patch engine. `message` is written for whoever produced the
 * patch, usually a model: the same text is sent back in a repair round.
 */
export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly reason: PatchErrorReason;
  /** 1-based line of the patch text the problem was found at, when there is one. */
  readonly line: number | undefined;

  constructor(reason: PatchErrorReason, message: string, line?: number) {
    super(message);
    this.reason = reason;
    this.line = line;
  }

  static notADiff(detail: string): PatchError {
    return new PatchError('not_a_diff', `The text is not a unified diff: ${detail}. ${HOW_TO_WRITE_A_DIFF}`);
  }

  static missingFileHeader(line: number): PatchError {
    return new PatchError(
      'missing_file_header',
      `The hunk at line ${line} of the diff does not say which file it changes. Put a ` +
        '`--- a/<path>` line and a `+++ b/<path>` line before the first hunk of each file.',
      line,
    );
  }

  static binary(path: string, line: number): PatchError {
    return new PatchError(
      'binary_patch',
      `The diff for ${path} is a binary patch (line ${line}); only text diffs can be applied. ` + 'Change text files only, as a unified diff.',
      line,
    );
  }

  static noChanges(): PatchError {
    return new PatchError(
      'no_changes',
      'The diff names files but contains no hunks and no file creation, deletion or rename. ' + `Include the changed lines. ${HOW_TO_WRITE_A_DIFF}`,
    );
  }

  static multipleFiles(count: number): PatchError {
    return new PatchError('multiple_files', `Expected the diff of one file, got ${count} files. Split the patch per file first.`);
  }
}

export function isPatchError(error: unknown): error is PatchError {
  return error instanceof PatchError;
}
