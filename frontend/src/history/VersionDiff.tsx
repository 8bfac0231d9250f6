import { lazy, Suspense, useMemo, useState } from 'react';
import type { ProjectFiles, VersionSummary } from '@patchpad/shared';

const DiffView = lazy(() => import('../editor/DiffView'));

type Props = { version: VersionSummary; files: ProjectFiles | null; current: ProjectFiles; restoring: boolean; onRestore: () => void; onClose: () => void };

/** An old version against your files now, read-only, file by file; restore makes it the newest version. */
export function VersionDiff({ version, files, current, restoring, onRestore, onClose }: Props) {
  const changed = useMemo(
    () => (files ? [...new Set([...Object.keys(files), ...Object.keys(current)])].filter((p) => files[p] !== current[p]).sort() : []),
    [files, current],
  );
  const [picked, setPicked] = useState<string | null>(null);
  const path = picked && changed.includes(picked) ? picked : changed[0];
  return (
    <section className="review-main" aria-label="Version diff">
      <header className="review-head">
        <div className="review-title">
          <strong>{version.message ?? 'Saved'}</strong>{' '}
          <span className="muted small">{new Date(version.createdAt).toLocaleString()} · red: that version, green: your files now</span>
        </div>
        <div className="row">
          <button type="button" onClick={onRestore} disabled={restoring || !files}>
            {restoring ? 'Restoring…' : 'Restore this version'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      {!files ? (
        <div className="skeleton editor-skeleton" aria-label="Loading the version" />
      ) : changed.length === 0 ? (
        <p className="pad muted">This version holds exactly your current files.</p>
      ) : (
        <>
          <nav className="tabs" aria-label="Changed files">
            {changed.map((p) => (
              <button key={p} type="button" className={p === path ? 'tab active' : 'tab'} onClick={() => setPicked(p)}>
                {p}
                {files[p] === undefined ? ' (added since)' : current[p] === undefined ? ' (deleted since)' : ''}
              </button>
            ))}
          </nav>
          <Suspense fallback={<div className="skeleton editor-skeleton" />}>
            <DiffView path={`v-${version.id}/${path}`} original={files[path!] ?? ''} modified={current[path!] ?? ''} />
          </Suspense>
        </>
      )}
    </section>
  );
}
