import { useCallback, useState } from 'react';
import type { Api } from '../api/client';
import type { Proposal } from '../assistant/AssistantPanel';
import type { ProjectSession } from '../ide/useProjectSession';
import { decide as decideHunk, finishReview, startReview, type HunkDecision } from './model';
import type { Review } from './ReviewView';
import { changeBetween, undoChange, type AppliedChange } from './undo';

/** What the last apply did, for the "n of m hunks applied" line and its undo. */
export type Applied = { message: string; change: AppliedChange | null; problems: string[] };

/**
 * The review of the assistant's proposed change: decisions per hunk, then apply the accepted
 * ones to the current buffers, record the decisions on the task, save (the message is the
 * task's summary), and offer one undo for the whole patch.
 */
export function useReview(api: Api, session: ProjectSession) {
  const [review, setReview] = useState<Review | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);

  const open = useCallback((p: Proposal) => {
    setApplied(null);
    setReview({ taskId: p.taskId, prompt: p.prompt, explanation: p.explanation, files: startReview(p.patches), ...(p.check ? { check: p.check } : {}) });
  }, []);

  const decide = (file: number, hunk: number, decision: HunkDecision) => setReview((r) => r && { ...r, files: decideHunk(r.files, file, hunk, decision) });
  const decideAll = (decision: HunkDecision) =>
    setReview((r) => r && { ...r, files: r.files.map((f) => ({ ...f, decisions: f.decisions.map((d) => (d === 'pending' ? decision : d)) })) });

  const apply = async () => {
    if (!review) return;
    const before = session.current().files;
    const done = finishReview(review.files, before);
    setReview(null);
    const problems = [...done.problems];
    if (review.taskId) {
      await api
        .post(`/api/agent/tasks/${review.taskId}/decision`, { files: done.decisions })
        .catch((err: Error) => problems.push(`Your decisions were not recorded on the task: ${err.message}`));
    }
    if (done.applied.length === 0) {
      setApplied({ message: `0 of ${done.total} hunks applied`, change: null, problems });
      return;
    }
    session.edit(() => done.files);
    const summary = (review.explanation.split('\n')[0] || review.prompt).slice(0, 200);
    const version = await session.save({ message: `Assistant: ${summary}`, ...(review.taskId ? { taskId: review.taskId } : {}) });
    const saved = version ? `saved as version ${version}` : 'not saved yet (see the save status)';
    setApplied({
      message: `${done.accepted} of ${done.total} hunk${done.total === 1 ? '' : 's'} applied, ${saved}`,
      change: changeBetween(before, done.files),
      problems,
    });
  };

  const undo = async () => {
    if (!applied?.change) return;
    const r = undoChange(session.current().files, applied.change);
    session.edit(() => r.files);
    const version = await session.save({ message: 'Undid the assistant change' });
    const kept = r.kept.length > 0 ? ` ${r.kept.join(', ')} kept as you edited ${r.kept.length === 1 ? 'it' : 'them'} since.` : '';
    setApplied({ message: `Change undone${version ? `, saved as version ${version}` : ''}.${kept}`, change: null, problems: [] });
  };

  return { review, applied, open, decide, decideAll, apply, undo, discard: () => setReview(null), dismiss: () => setApplied(null) };
}
