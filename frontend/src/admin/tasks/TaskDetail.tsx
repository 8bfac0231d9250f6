import type { AdminTaskRow } from '@patchpad/shared';
import { useAdminApi } from '../context';
import { formatInt, formatMs, formatTime } from '../format';
import { LoadState } from '../ui';
import { useLoad } from '../useLoad';

/** Where a task's time went, as bars of one scale. */
function Phases({ phases }: { phases: Record<string, number> }) {
  const entries = Object.entries(phases);
  const max = Math.max(1, ...entries.map(([, ms]) => ms));
  if (entries.length === 0) return <p className="muted small">No phases recorded (the task has not reached a worker).</p>;
  return (
    <ul className="phases" aria-label="Phases">
      {entries.map(([name, ms]) => (
        <li key={name}>
          <span className="phase-name">{name}</span>
          <span className="meter-track">
            <span className="meter-fill" style={{ width: `${(ms / max) * 100}%` }} />
          </span>
          <span className="small">{formatMs(ms)}</span>
        </li>
      ))}
    </ul>
  );
}

export function TaskDetail({ row, onClose }: { row: AdminTaskRow; onClose: () => void }) {
  const api = useAdminApi();
  const detail = useLoad(() => api.task(row.uid, row.id), `${row.uid}/${row.id}`);
  const t = detail.data;
  return (
    <aside className="admin-panel" aria-label={`Task ${row.id}`}>
      <header className="panel-head">
        <div>
          <strong>Task {row.id.slice(0, 8)}</strong>
          <div className="muted small">
            {row.status} · {row.mode} · {row.email ?? row.uid}
          </div>
        </div>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close task">
          ×
        </button>
      </header>
      <LoadState loading={detail.loading} error={detail.error} empty={!t} emptyText="" onRetry={() => void detail.reload()}>
        {t && (
          <>
            <h2>Prompt</h2>
            <blockquote className="prompt">{t.prompt}</blockquote>
            <p className="muted small">Files: {t.paths.join(', ') || 'none'}</p>
            <h2>Phases</h2>
            <Phases phases={t.metrics.phases ?? {}} />
            <h2>Metrics</h2>
            <dl className="facts">
              <dt>Model</dt>
              <dd>
                {t.metrics.model ?? t.model ?? '–'} {t.metrics.provider && <span className="muted">({t.metrics.provider})</span>}
              </dd>
              <dt>Tokens</dt>
              <dd>
                {formatInt(t.metrics.tokensIn)} in, {formatInt(t.metrics.tokensOut)} out
              </dd>
              <dt>Duration</dt>
              <dd>{formatMs(t.metrics.durationMs)}</dd>
              <dt>Model calls</dt>
              <dd>{t.metrics.attempts}</dd>
              <dt>Created</dt>
              <dd>{formatTime(t.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatTime(t.updatedAt)}</dd>
            </dl>
            {t.error && (
              <>
                <h2>Error</h2>
                <p className="admin-error" role="alert">
                  <code>{t.error.code}</code> {t.error.message}
                </p>
              </>
            )}
          </>
        )}
      </LoadState>
    </aside>
  );
}
