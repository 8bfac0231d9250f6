import { lazy, Suspense, useMemo, useState } from 'react';
import type { ProjectFiles, TypeCheck } from '@patchpad/shared';
import { checkSummary, secondLook } from '../assistant/second-look';
import { HunkBar } from './HunkBar';
import { fileView, pendingCount, type HunkDecision, type ReviewFile } from './model';

const DiffView = lazy(() => import('../editor/DiffView'));

/** `check`: what the worker's type-check of the patched project found, when it ran. */
export type Review = { taskId: string | null; prompt: string; explanation: string; files: ReviewFile[]; check?: TypeCheck };

type Props = {
  review: Review;
  current: ProjectFiles;
  onDecide: (file: number, hunk: number, decision: HunkDecision) => void;
  onDecideAll: (decision: HunkDecision) => void;
  onApply: () => void;
  onDiscard: () => void;
};

/** The assistant's proposed change in the main editor area: one file at a time, a bar per pending hunk. */
export function ReviewView({ review, current, onDecide, onDecideAll, onApply, onDiscard }: Props) {
  const [selected, setSelected] = useState(0);
  const file = review.files[Math.min(selected, review.files.length - 1)]!;
  const index = review.files.indexOf(file);
  const view = useMemo(() => fileView(file, current[file.path]), [file, current]);
  // Where the worker's engine was lenient with the model's diff, per hunk: look twice there.
  const reasons = useMemo(() => secondLook(file.patch, file.decisions.length), [file]);
  const check = checkSummary(review.check);
  const pending = pendingCount(review.files);
  const accepted = review.files.reduce((n, f) => n + f.decisions.filter((d) => d === 'accepted').length, 0);
  const total = review.files.reduce((n, f) => n + f.decisions.length, 0);

  return (
    <section className="review-main" aria-label="Proposed changes">
      <header className="review-head">
        <div className="review-title">
          <strong>Proposed change</strong> <span className="muted">“{review.prompt.slice(0, 120)}”</span>
          {review.explanation && <p className="muted small">{review.explanation.slice(0, 400)}</p>}
          <p className={check.ok ? 'muted small' : 'small warn'} data-testid="review-check" title={check.errors.join('\n')}>
            {check.text}
          </p>
          {check.errors.length > 0 && (
            <ul className="small warn">
              {check.errors.slice(0, 5).map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="row wrap">
          <span className="muted small" data-testid="review-count">
            {accepted} of {total} accepted · {pending} to decide
          </span>
          <button type="button" className="secondary" onClick={() => onDecideAll('accepted')} disabled={pending === 0}>
            Accept the rest
          </button>
          <button type="button" className="secondary" onClick={() => onDecideAll('rejected')} disabled={pending === 0}>
            Reject the rest
          </button>
          <button type="button" onClick={onApply}>
            Apply {accepted} of {total}
          </button>
          <button type="button" className="secondary" onClick={onDiscard}>
            Discard
          </button>
        </div>
      </header>
      <nav className="tabs" aria-label="Files in the change">
        {review.files.map((f, i) => (
          <button key={f.path} type="button" className={i === index ? 'tab active' : 'tab'} onClick={() => setSelected(i)}>
            {f.path} <span className="badge">{f.op}</span> {f.decisions.filter((d) => d === 'pending').length > 0 && <span className="dirty">●</span>}
          </button>
        ))}
      </nav>
      {view.stale.length > 0 && (
        <p className="banner error" role="alert">
          {view.stale.map((h) => `Hunk ${h + 1}`).join(', ')} no longer fit{view.stale.length === 1 ? 's' : ''} {file.path} as you edited it.{' '}
          {view.stale.map((h) => (
            <button key={h} type="button" className="link" onClick={() => onDecide(index, h, 'rejected')}>
              Reject hunk {h + 1}
            </button>
          ))}
        </p>
      )}
      <Suspense fallback={<div className="skeleton editor-skeleton" aria-label="Loading the diff" />}>
        <DiffView
          path={`${review.taskId ?? 'review'}/${file.path}`}
          original={view.original}
          modified={view.modified}
          inline
          bars={view.bars.map((b) => ({
            key: `${index}:${b.hunk}`,
            line: b.line,
            content: (
              <HunkBar
                path={file.path}
                hunk={b.hunk}
                total={file.decisions.length}
                info={b.info}
                reasons={reasons[b.hunk] ?? []}
                onDecide={(d) => onDecide(index, b.hunk, d)}
              />
            ),
          }))}
        />
      </Suspense>
    </section>
  );
}
