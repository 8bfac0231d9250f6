import { useCallback, useEffect, useState } from 'react';
import type { VersionSummary } from '@patchpad/shared';
import type { ProjectsApi } from '../api/projects';

type Props = { api: ProjectsApi; projectId: string; current: string | null; onOpen: (v: VersionSummary) => void };

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** Every saved version, newest first, a page at a time: time, author, message. */
export function HistoryPanel({ api, projectId, current, onOpen }: Props) {
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before?: string) => {
      try {
        const page = await api.versions(projectId, before);
        setVersions((v) => (before ? [...v, ...page.versions] : page.versions));
        setNext(page.next);
        setError(null);
      } catch (err) {
        setError(`Could not load the history: ${(err as Error).message}`);
      }
    },
    [api, projectId],
  );
  useEffect(() => void load(), [load, current]);

  return (
    <section className="side-list" aria-label="History">
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <ol>
        {versions.map((v) => (
          <li key={v.id} className={v.id === current ? 'version current' : 'version'}>
            <button type="button" className="version-open" onClick={() => onOpen(v)} title={`Compare version ${v.id} with your files`}>
              <span className="version-message">{v.message ?? (v.mergeBase ? 'Saved (merged)' : 'Saved')}</span>
              <span className="muted small">
                {when(v.createdAt)} · {v.author?.email ?? 'you'} · {v.fileCount} files
                {v.taskId ? ' · assistant' : ''}
                {v.id === current ? ' · current' : ''}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" className="link" onClick={() => void load(next)}>
          Older versions…
        </button>
      )}
    </section>
  );
}
