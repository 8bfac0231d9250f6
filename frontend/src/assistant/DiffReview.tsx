import { useState } from 'react';
import type { PatchedFile, TypeCheck } from '@patchpad/shared';
import { initialChoices, type HunkChoice } from './review';
import { checkSummary, secondLook } from './second-look';

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'meta';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return '';
}

function HunkView({ text }: { text: string }) {
  // Every split hunk repeats the file's headers (diff --git, ---, +++); the card shows the path once.
  const all = text.split('\n');
  const start = all.findIndex((l) => l.startsWith('@@'));
  const lines = all.slice(Math.max(0, start)).filter((l, i, rest) => !(i === rest.length - 1 && l === ''));
  return (
    <pre className="diff">
      {lines.map((line, i) => (
        <div key={i} className={lineClass(line)}>
          {line || ' '}
        </div>
      ))}
    </pre>
  );
}

type Props = { patches: PatchedFile[]; check?: TypeCheck | undefined; onApply: (choices: HunkChoice[]) => void; onDiscard: () => void };

/** Per-file, per-hunk review: every hunk starts accepted; the user unticks what they do not want. */
export function DiffReview({ patches, check, onApply, onDiscard }: Props) {
  const [choices, setChoices] = useState<HunkChoice[]>(() => initialChoices(patches));
  const looks = patches.map((p, f) => secondLook(p, choices[f]!.hunks.length));
  const summary = checkSummary(check);
  const toggle = (file: number, hunk: number) =>
    setChoices((cs) => cs.map((c, i) => (i !== file ? c : { ...c, accepted: c.accepted.map((a, j) => (j === hunk ? !a : a)) })));
  const setFile = (file: number, value: boolean) => setChoices((cs) => cs.map((c, i) => (i !== file ? c : { ...c, accepted: c.accepted.map(() => value) })));
  const total = choices.reduce((n, c) => n + c.accepted.filter(Boolean).length, 0);

  return (
    <section className="review" aria-label="Proposed changes">
      {patches.map((patch, f) => (
        <article key={patch.path} className="review-file" data-path={patch.path}>
          <header>
            <strong>{patch.path}</strong> <span className="badge">{patch.op}</span>
            <span className="spacer" />
            <button type="button" className="link" onClick={() => setFile(f, true)}>
              accept all
            </button>
            <button type="button" className="link" onClick={() => setFile(f, false)}>
              reject all
            </button>
          </header>
          {choices[f]!.hunks.map((hunk, h) => (
            <div key={h} className={choices[f]!.accepted[h] ? 'review-hunk' : 'review-hunk rejected'}>
              <label>
                <input type="checkbox" checked={choices[f]!.accepted[h]} onChange={() => toggle(f, h)} aria-label={`Accept hunk ${h + 1} of ${patch.path}`} />
                Hunk {h + 1}
              </label>
              {looks[f]![h]!.length > 0 && (
                <span className="badge look-twice" title={looks[f]![h]!.join('; ')}>
                  look twice: {looks[f]![h]!.join('; ')}
                </span>
              )}
              <HunkView text={hunk} />
            </div>
          ))}
        </article>
      ))}
      <p className={summary.ok ? 'muted small check' : 'error small check'} title={summary.errors.join('\n')}>
        {summary.text}
      </p>
      {summary.errors.length > 0 && <pre className="check-errors">{summary.errors.join('\n')}</pre>}
      <footer className="row">
        <button type="button" onClick={() => onApply(choices)} disabled={total === 0}>
          Apply {total} change{total === 1 ? '' : 's'}
        </button>
        <button type="button" className="secondary" onClick={onDiscard}>
          Discard
        </button>
      </footer>
    </section>
  );
}
