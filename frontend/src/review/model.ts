import { applyHunksToText, parsePatch, splitHunks, type Hunk, type HunkApplyInfo } from '@patchpad/shared/patch';
import type { PatchedFile, ProjectFiles } from '@patchpad/shared';
import { applyChoices, type HunkChoice } from '../assistant/review';

export type HunkDecision = 'pending' | 'accepted' | 'rejected';

/**
 * One file of a proposed change under review. Per hunk: the decision, and (filled in by
 * fileView) where the engine placed it. A "needs a second look" marker per hunk (from the
 * task result's placement) belongs beside `decisions` here and shows in HunkBar.
 */
export type ReviewFile = { path: string; op: PatchedFile['op']; patch: PatchedFile; decisions: HunkDecision[] };

export function startReview(patches: readonly PatchedFile[]): ReviewFile[] {
  return patches.map((p) => ({ path: p.path, op: p.op, patch: p, decisions: (p.op === 'modify' ? splitHunks(p.patch) : [p.patch]).map(() => 'pending') }));
}

export function decide(files: readonly ReviewFile[], file: number, hunk: number, decision: HunkDecision): ReviewFile[] {
  return files.map((f, i) => (i !== file ? f : { ...f, decisions: f.decisions.map((d, j) => (j === hunk ? decision : d)) }));
}

export const pendingCount = (files: readonly ReviewFile[]) => files.reduce((n, f) => n + f.decisions.filter((d) => d === 'pending').length, 0);

/** Where a pending hunk's bar goes: after `line` (0 = above the first line) of the modified text. */
export type HunkBarAt = { hunk: number; line: number; info: HunkApplyInfo | null };

/**
 * What the diff editor shows for one file: the file with the accepted hunks (left side) and
 * with the accepted and pending ones (right side), and a bar per pending hunk. A hunk that no
 * longer applies to the edited buffer is `stale`: it can only be rejected.
 */
export type FileView = { original: string; modified: string; bars: HunkBarAt[]; stale: number[] };

export function fileView(file: ReviewFile, current: string | undefined): FileView {
  if (file.op !== 'modify') {
    const after = file.op === 'delete' ? '' : newFileText(file.patch.patch);
    const before = current ?? '';
    const shown = file.decisions[0] === 'rejected' ? before : after;
    const original = file.decisions[0] === 'accepted' ? after : before;
    return { original, modified: shown, bars: file.decisions[0] === 'pending' ? [{ hunk: 0, line: 0, info: null }] : [], stale: [] };
  }
  const hunks = parsePatch(file.patch.patch, { defaultPath: file.path }).files[0]?.hunks ?? [];
  const text = current ?? '';
  const stale: number[] = [];
  const wanted = (d: HunkDecision[]) => d.flatMap((x, i) => (x !== 'rejected' && !stale.includes(i) ? [i] : []));
  // Drop hunks that conflict with the buffer until the rest applies (at most once per hunk).
  for (let guard = 0; guard <= hunks.length; guard++) {
    const shown = wanted(file.decisions);
    const r = applyHunksToText(text, pick(hunks, shown), file.path);
    if (r.ok) {
      const accepted = shown.filter((i) => file.decisions[i] === 'accepted');
      const original = applyHunksToText(text, pick(hunks, accepted), file.path);
      const applied = r.hunks();
      const bars = r.infos.flatMap((info, k) => {
        const index = shown[info.hunkIndex]!;
        if (file.decisions[index] !== 'pending') return [];
        const h = applied[k]!;
        const lead = h.lines.findIndex((l) => l.kind !== 'context');
        return [{ hunk: index, line: Math.max(0, (h.newStart ?? 1) - 1 + Math.max(0, lead)), info: { ...info, hunkIndex: index } }];
      });
      return { original: original.ok ? original.text : text, modified: r.text, bars, stale };
    }
    for (const c of r.conflicts) if (c.hunkIndex !== null) stale.push(shown[c.hunkIndex]!);
    if (r.conflicts.every((c) => c.hunkIndex === null)) return { original: text, modified: text, bars: [], stale: shown };
  }
  return { original: text, modified: text, bars: [], stale: wanted(file.decisions) };
}

const pick = (hunks: Hunk[], indices: number[]) => indices.map((i) => hunks[i]!);

function newFileText(patch: string): string {
  const hunks = parsePatch(patch).files[0]?.hunks ?? [];
  const r = applyHunksToText('', hunks, 'new');
  return r.ok ? r.text : '';
}

/** Applies the accepted hunks to the current buffers; what changed, and how many of how many hunks. */
export function finishReview(files: readonly ReviewFile[], current: ProjectFiles) {
  const choices: HunkChoice[] = files.map((f) => ({ path: f.path, hunks: f.decisions.map(() => ''), accepted: f.decisions.map((d) => d === 'accepted') }));
  const outcome = applyChoices(
    current,
    files.map((f) => f.patch),
    choices,
  );
  const total = files.reduce((n, f) => n + f.decisions.length, 0);
  const accepted = files.reduce((n, f) => n + f.decisions.filter((d) => d === 'accepted').length, 0);
  return {
    ...outcome,
    accepted,
    total,
    decisions: files.map((f) => ({ path: f.path, hunks: f.decisions.map((d) => (d === 'accepted' ? 'accepted' : 'rejected')) })),
  };
}
