import type { HunkApplyInfo, PatchedFile, TypeCheck } from '@patchpad/shared';

/**
 * Where the patch engine was lenient, so a person looks twice: for each hunk the review
 * shows, the reasons it did not apply exactly as written (an empty list: it did). Pure, so
 * any review UI can use it.
 */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function reasonsOf(info: HunkApplyInfo): string[] {
  const out: string[] = [];
  switch (info.strategy) {
    case 'exact':
      break;
    case 'line_number':
      out.push('placed by its line number alone (it has no context lines)');
      break;
    case 'trailing_whitespace':
      out.push("trailing whitespace differed from the file's");
      break;
    case 'indentation':
      out.push(
        info.reindented
          ? `indented differently from the file: ${plural(info.reindented, 'added line')} re-indented to the file's style`
          : 'its context was indented differently from the file',
      );
      break;
    case 'whitespace':
      out.push("whitespace inside its lines differed from the file's");
      break;
    case 'elided_context':
      out.push(`its context left out ${plural(info.skipped ?? 0, 'line')} of the file, kept as they were`);
      break;
    case 'fuzzy_context':
      out.push('some context lines only resembled the file (fuzzy match)');
      break;
  }
  if (info.strategy !== 'indentation' && info.reindented) out.push(`${plural(info.reindented, 'added line')} re-indented like the file's other hunks`);
  if (info.strategy !== 'line_number' && info.offset !== null && info.offset !== 0) {
    out.push(`its line numbers were off by ${Math.abs(info.offset)}`);
  }
  return out;
}

/**
 * Reasons per review hunk of a file: one entry per hunk of a modified file's patch (in the
 * patch's order), one for a created, deleted or renamed file. A path the model wrote
 * differently is noted on the first hunk.
 */
export function secondLook(file: PatchedFile, hunkCount: number): string[][] {
  const per = Array.from({ length: hunkCount }, (_, i) => (file.op === 'modify' ? reasonsOf(file.hunks?.[i] ?? EXACT) : []));
  if (file.op !== 'modify' && per.length > 0) per[0] = (file.hunks ?? []).flatMap(reasonsOf);
  if (file.writtenPath !== undefined && per.length > 0) per[0]!.unshift(`the diff named the file "${file.writtenPath}"`);
  return per;
}

const EXACT: HunkApplyInfo = { hunkIndex: 0, strategy: 'exact', fuzz: 0, oldStart: 1, offset: 0 };

/** The line under the review: "applies · type-checks", or what the check found. */
export function checkSummary(check: TypeCheck | undefined): { ok: boolean; text: string; errors: string[] } {
  if (!check) return { ok: true, text: 'applies', errors: [] };
  if (check.status === 'passed') return { ok: true, text: 'applies · type-checks', errors: [] };
  if (check.status === 'skipped') return { ok: true, text: `applies · type-check skipped${check.reason ? ` (${check.reason})` : ''}`, errors: [] };
  return {
    ok: false,
    text: `applies · ${plural(check.errors.length, 'new type error')}`,
    errors: check.errors.map((e) => `${e.path}:${e.line}:${e.column} TS${e.code}: ${e.message}`),
  };
}
