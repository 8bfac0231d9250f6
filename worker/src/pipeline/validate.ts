import { applyPatch, extractDiff, PatchError, type FileApplyResult } from '@patchpad/shared/patch';
import { projectPathSchema, type PatchedFile, type TaskInput } from '@patchpad/shared';

export type Validation =
  | {
      ok: true;
      filesModified: PatchedFile[];
      explanation: string;
      /** The whole file set after the patch (null = deleted), for the type-check. */
      files: Record<string, string | null>;
      /** Renamed files: new path → old path. */
      renamed: Map<string, string>;
    }
  | { ok: false; problems: string[]; explanation: string };

/** The prose around the diff: what the user reads beside the change. */
export function explanationOf(answer: string, diff: string | null): string {
  if (!diff) return answer.trim();
  const at = answer.indexOf(diff);
  const text = at === -1 ? answer : answer.slice(0, at) + answer.slice(at + diff.length);
  return text.replace(/```[a-z]*\s*```/gi, '').trim();
}

/**
 * Finds the diff in a model answer and checks that every file of it applies to the files
 * the task was given. All or nothing: one failed hunk makes the whole answer a repair case,
 * with the engine's own messages (which say how to fix the diff) as the problems.
 */
export function validateAnswer(input: TaskInput, answer: string): Validation {
  const diff = extractDiff(answer);
  const explanation = explanationOf(answer, diff);
  if (!diff)
    return {
      ok: false,
      problems: ['The answer contains no unified diff. Put the change in one ```diff block with ---/+++ headers and @@ hunks.'],
      explanation,
    };
  let outcome;
  try {
    outcome = applyPatch(input.files, diff);
  } catch (err) {
    if (err instanceof PatchError) return { ok: false, problems: [err.message], explanation };
    throw err;
  }
  if (!outcome.ok) {
    // Each conflict message names its file and hunk and says how to fix the diff.
    const problems = outcome.results.flatMap((r) => r.conflicts.map((c) => c.message));
    return { ok: false, problems: problems.length > 0 ? problems : ['The diff did not apply.'], explanation };
  }
  // Paths the model wrote are outside input: a file it creates or renames must be a valid
  // project path, or the user would accept a change that cannot be saved.
  const badPaths = outcome.results.flatMap((r) => [r.path, r.oldPath ?? r.path]).flatMap((path) => pathProblem(path) ?? []);
  if (badPaths.length > 0) return { ok: false, problems: [...new Set(badPaths)], explanation };
  const filesModified = outcome.results.map(patchedFile);
  const renamed = new Map(outcome.results.flatMap((r) => (r.oldPath !== undefined ? [[r.path, r.oldPath] as [string, string]] : [])));
  return { ok: true, filesModified, explanation, files: outcome.files, renamed };
}

/** A file of the result as the task records it: the clean patch and how each hunk was placed. */
function patchedFile(r: FileApplyResult): PatchedFile {
  const f: PatchedFile = { path: r.path, patch: r.patch, op: r.op, hunks: r.hunks };
  if (r.oldPath) f.oldPath = r.oldPath;
  if (r.writtenPath !== undefined) f.writtenPath = r.writtenPath;
  if (r.pathResolution !== undefined) f.pathResolution = r.pathResolution;
  return f;
}

function pathProblem(path: string): string | null {
  const r = projectPathSchema.safeParse(path);
  if (r.success) return null;
  const why = r.error.issues.map((i) => i.message).join('; ');
  return `The diff writes to ${JSON.stringify(path)}, which is not a valid project path (${why}). Use a path relative to the project root, like src/App.tsx.`;
}
