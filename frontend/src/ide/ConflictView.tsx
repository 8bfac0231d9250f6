import { useMemo, useState } from 'react';
import { mergeText, resolveChunks, type ChunkChoice, type MergeChunk, type ProjectFiles } from '@patchpad/shared';
import type { Conflict } from './useProjectSession';

type Props = { conflict: Conflict; onResolve: (files: ProjectFiles) => void };

type FileChoices = {
  path: string;
  whole: boolean;
  chunks: MergeChunk[];
  choices: (ChunkChoice | null)[];
  base: string | null;
  mine: string | null;
  theirs: string | null;
};

/**
 * The lines both you and another tab (or person) changed. Each clash shows both sides whole;
 * nothing is saved until every clash has a choice, and "both" keeps every line.
 */
export function ConflictView({ conflict, onResolve }: Props) {
  const initial = useMemo<FileChoices[]>(
    () =>
      conflict.merge.conflicts.map((c) => {
        const whole = c.base === null || c.mine === null || c.theirs === null;
        const chunks = whole ? [] : mergeText(c.base!, c.mine!, c.theirs!).chunks;
        const count = whole ? 1 : chunks.filter((k) => k.kind === 'conflict').length;
        return { ...c, whole, chunks, choices: Array.from({ length: count }, () => null) };
      }),
    [conflict],
  );
  const [files, setFiles] = useState(initial);
  const choose = (f: number, k: number, choice: ChunkChoice) =>
    setFiles((fs) => fs.map((x, i) => (i !== f ? x : { ...x, choices: x.choices.map((c, j) => (j === k ? choice : c)) })));
  const open = files.reduce((n, f) => n + f.choices.filter((c) => c === null).length, 0);

  const finish = () => {
    const out: ProjectFiles = { ...conflict.merge.files };
    for (const f of files) {
      const content = f.whole ? (f.choices[0] === 'theirs' ? f.theirs : f.mine) : resolveChunks(f.chunks, f.choices as ChunkChoice[]);
      if (content !== null) out[f.path] = content;
    }
    onResolve(out);
  };

  return (
    <section className="review-main" aria-label="Resolve conflicts">
      <header className="review-head">
        <div className="review-title">
          <strong>This project changed elsewhere while you edited</strong>
          <p className="muted small">Changes to different lines were merged. Choose what to keep where both changed the same lines.</p>
        </div>
        <button type="button" onClick={finish} disabled={open > 0}>
          {open > 0 ? `${open} to decide` : 'Save the merge'}
        </button>
      </header>
      <div className="conflicts">
        {files.map((f, fi) => (
          <article key={f.path} className="conflict-file" aria-label={`Conflicts in ${f.path}`}>
            <h3>{f.path}</h3>
            {f.whole ? (
              <Clash
                mine={f.mine === null ? ['(you deleted this file)'] : f.mine.split('\n')}
                theirs={f.theirs === null ? ['(deleted elsewhere)'] : f.theirs.split('\n')}
                choice={f.choices[0] ?? null}
                both={false}
                onChoose={(c) => choose(fi, 0, c)}
              />
            ) : (
              f.chunks
                .filter((c): c is Extract<MergeChunk, { kind: 'conflict' }> => c.kind === 'conflict')
                .map((c, k) => <Clash key={k} mine={c.mine} theirs={c.theirs} choice={f.choices[k] ?? null} both onChoose={(x) => choose(fi, k, x)} />)
            )}
          </article>
        ))}
      </div>
    </section>
  );
}

function Clash({
  mine,
  theirs,
  choice,
  both,
  onChoose,
}: {
  mine: string[];
  theirs: string[];
  choice: ChunkChoice | null;
  both: boolean;
  onChoose: (c: ChunkChoice) => void;
}) {
  return (
    <div className="clash">
      <div className="clash-sides">
        <div>
          <div className="muted small">Theirs (saved meanwhile)</div>
          <pre className="diff">{theirs.join('\n')}</pre>
        </div>
        <div>
          <div className="muted small">Yours</div>
          <pre className="diff">{mine.join('\n')}</pre>
        </div>
      </div>
      <div className="row" role="radiogroup" aria-label="Keep">
        {(['mine', 'theirs', ...(both ? (['both'] as const) : [])] as ChunkChoice[]).map((c) => (
          <button key={c} type="button" role="radio" aria-checked={choice === c} className={choice === c ? '' : 'secondary'} onClick={() => onChoose(c)}>
            {c === 'mine' ? 'Keep yours' : c === 'theirs' ? 'Keep theirs' : 'Keep both'}
          </button>
        ))}
      </div>
    </div>
  );
}
