import { useEffect, useState } from 'react';
import type { AdminTaskRow } from '@patchpad/shared';
import { useAdminApi } from '../context';
import { formatAgo, formatMs, formatTokens } from '../format';
import { Badge, LoadState, Pager } from '../ui';
import { useCursor } from '../useCursor';
import { useLoad } from '../useLoad';
import { TaskDetail } from './TaskDetail';

const TONE = { queued: 'neutral', processing: 'warn', done: 'ok', failed: 'bad', cancelled: 'neutral' } as const;

/** Tasks across users: the live ones (refreshed) or the recent ones; open one for its phases and error. */
export function TasksPage() {
  const api = useAdminApi();
  const [status, setStatus] = useState<'live' | 'recent'>('live');
  const pages = useCursor();
  const { reset } = pages;
  useEffect(() => reset(), [status, reset]);
  const list = useLoad(() => api.tasks(status, pages.cursor), `${status}|${pages.cursor ?? ''}`, status === 'live' ? 5000 : undefined);
  const [open, setOpen] = useState<AdminTaskRow | null>(null);
  const tasks = list.data?.tasks ?? [];

  return (
    <section className="admin-page" aria-labelledby="tasks-title">
      <header className="admin-head">
        <h1 id="tasks-title">Tasks</h1>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Which tasks">
          {(['live', 'recent'] as const).map((s) => (
            <button key={s} type="button" className={s === status ? '' : 'secondary'} aria-pressed={s === status} onClick={() => setStatus(s)}>
              {s === 'live' ? 'Live' : 'Recent'}
            </button>
          ))}
        </div>
      </header>
      <div className="admin-split">
        <div className="admin-main">
          <LoadState
            loading={list.loading}
            error={list.error}
            empty={tasks.length === 0}
            emptyText={status === 'live' ? 'No task is queued or running.' : 'No task has ended recently.'}
            onRetry={() => void list.reload()}
          >
            <table className="admin-table" aria-label="Tasks">
              <thead>
                <tr>
                  <th>Task</th>
                  <th>User</th>
                  <th>Status</th>
                  <th>Mode</th>
                  <th>Model</th>
                  <th>Duration</th>
                  <th>Tokens</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {tasks.map((t) => (
                  <tr key={t.id} className={open?.id === t.id ? 'selected' : ''} onClick={() => setOpen(t)}>
                    <td>
                      <button type="button" className="link" aria-label={`Open task ${t.id}`} onClick={(e) => (e.stopPropagation(), setOpen(t))}>
                        <code>{t.id.slice(0, 8)}</code>
                      </button>
                    </td>
                    <td className="ellipsis" title={t.uid}>
                      {t.email ?? t.uid}
                    </td>
                    <td>
                      <Badge tone={TONE[t.status]}>{t.status}</Badge>
                    </td>
                    <td>{t.mode}</td>
                    <td>{t.model ?? '–'}</td>
                    <td>{formatMs(t.durationMs)}</td>
                    <td>{formatTokens(t.tokens)}</td>
                    <td>{formatAgo(t.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </LoadState>
          <Pager pages={pages} next={list.data?.next} busy={list.loading} />
        </div>
        {open && <TaskDetail key={open.id} row={open} onClose={() => setOpen(null)} />}
      </div>
    </section>
  );
}
