import { applyHunks, applyPatch, splitHunks } from '@patchpad/shared/patch';
import type { PatchedFile, ProjectFiles } from '@patchpad/shared';

export type HunkChoice = { path: string; hunks: string[]; accepted: boolean[] };

export function initialChoices(patches: PatchedFile[]): HunkChoice[] {
  return patches.map((p) => {
    const hunks = p.op === 'modify' ? splitHunks(p.patch) : [p.patch];
    return { path: p.path, hunks, accepted: hunks.map(() => true) };
  });
}

export type ReviewOutcome = { files: ProjectFiles; applied: string[]; problems: string[] };

/**
 * Applies the accepted hunks to the current buffers, which the user may have edited since
 * the task started: the engine rebases each hunk by content. A file whose accepted hunks do
 * not all apply is left as it is and reported.
 */
export function applyChoices(files: ProjectFiles, patches: PatchedFile[], choices: HunkChoice[]): ReviewOutcome {
  const next: ProjectFiles = { ...files };
  const applied: string[] = [];
  const problems: string[] = [];
  patches.forEach((patch, i) => {
    const accepted = choices[i]!.accepted.flatMap((ok, index) => (ok ? [index] : []));
    if (accepted.length === 0) return;
    if (patch.op === 'modify') {
      const current = next[patch.path];
      if (current === undefined) return void problems.push(`${patch.path} no longer exists`);
      const outcome = applyHunks(current, patch.patch, accepted);
      if (!outcome.ok) return void problems.push(...outcome.conflicts.map((c) => c.message));
      next[patch.path] = outcome.content;
    } else {
      const outcome = applyPatch(next, patch.patch);
      if (!outcome.ok) return void problems.push(...outcome.results.flatMap((r) => r.conflicts.map((c) => c.message)));
      for (const [path, content] of Object.entries(outcome.files)) {
        if (content === null) delete next[path];
        else next[path] = content;
      }
    }
    applied.push(patch.path);
  });
  return { files: next, applied, problems };
}
