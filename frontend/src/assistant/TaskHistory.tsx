import { useEffect, useState } from 'react';
import type { TaskView } from '@patchpad/shared';
import type { Api } from '../api/client';

const OUTCOME: Record<string, string> = { done: 'done', failed: 'failed', cancelled: 'stopped', queued: 'queued', processing: 'running' };

/** This project's assistant tasks, newest first: the prompt, the outcome, and what was kept of each hunk. */
export function TaskHistory({ api, projectId, refresh }: { api: Api; projectId: string; refresh: number }) {
  const [tasks, setTasks] = useState<TaskView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api
      .get<{ tasks: TaskView[] }>('/api/agent/tasks?limit=100')
      .then(({ tasks: all }) => !cancelled && setTasks(all.filter((t) => t.input.projectId === projectId)))
      .catch((err: Error) => !cancelled && setError(`Could not load the tasks: ${err.message}`));
    return () => {
      cancelled = true;
    };
  }, [api, projectId, refresh]);

  if (error)
    return (
      <p className="error small" role="alert">
        {error}
      </p>
    );
  if (!tasks) return <p className="muted small pad">Loading…</p>;
  if (tasks.length === 0) return <p className="muted small pad">No assistant tasks in this project yet.</p>;
  return (
    <ol className="side-list" aria-label="Tasks">
      {tasks.map((t) => {
        const hunks = (t.decisions ?? []).flatMap((d) => d.hunks);
        const kept = hunks.filter((h) => h === 'accepted').length;
        return (
          <li key={t.id} className="task">
            <div className="task-prompt">{t.input.prompt}</div>
            <div className="muted small">
              {new Date(t.createdAt).toLocaleString()} · {t.input.mode} · {OUTCOME[t.status] ?? t.status}
              {t.error ? ` · ${t.error.message}` : ''}
              {t.result ? ` · ${t.result.filesModified.length} file(s) proposed` : ''}
            </div>
            {t.decisions && (
              <div className="small" data-testid="task-decisions">
                {kept} of {hunks.length} hunks kept —{' '}
                {t.decisions.map((d) => `${d.path}: ${d.hunks.map((h) => (h === 'accepted' ? '✓' : '✗')).join('')}`).join(', ')}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
