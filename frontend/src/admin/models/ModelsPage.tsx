import { useState } from 'react';
import type { AdminModel } from '@patchpad/shared';
import { formatInt, formatMs } from '../format';
import { Badge, LoadState } from '../ui';
import { ModelEditor } from './ModelEditor';
import { useModels, type TestState } from './useModels';

function TestCell({ state }: { state: TestState | undefined }) {
  if (!state) return null;
  if (state.running) return <span className="muted small">testing…</span>;
  if (state.error) return <span className="admin-error small">{state.error}</span>;
  const r = state.result!;
  return (
    <span className="small" data-testid={`test-${r.model}`}>
      <Badge tone={r.ok ? 'ok' : 'bad'}>{r.ok ? 'ok' : 'failed'}</Badge> {formatMs(r.latencyMs)}
      {r.firstByteMs !== null && <span className="muted"> (first byte {formatMs(r.firstByteMs)})</span>}
      {r.error && <span className="admin-error"> {r.error.message}</span>}
    </span>
  );
}

/** Models: the registry with its switches, editor and one-click test. */
export function ModelsPage() {
  const models = useModels();
  const { list } = models;
  const [editing, setEditing] = useState<AdminModel | 'new' | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const rows = list.data ?? [];

  return (
    <section className="admin-page" aria-labelledby="models-title">
      <header className="admin-head">
        <h1 id="models-title">Models</h1>
        <span className="muted small">Changes reach every API and gateway process at once.</span>
        <span className="spacer" />
        <button type="button" onClick={() => setEditing('new')}>
          New model
        </button>
      </header>
      {models.actionError && (
        <p className="admin-error" role="alert">
          {models.actionError}
        </p>
      )}
      <div className="admin-split">
        <div className="admin-main">
          <LoadState
            loading={list.loading}
            error={list.error}
            empty={rows.length === 0}
            emptyText="No model is configured. Add one, or set OPENAI_API_KEY (or another provider) and restart."
            onRetry={() => void list.reload()}
          >
            <table className="admin-table" aria-label="Models">
              <thead>
                <tr>
                  <th>Model</th>
                  <th>Provider</th>
                  <th>Plan</th>
                  <th>Context</th>
                  <th>$/M in · out</th>
                  <th>Key</th>
                  <th>Status</th>
                  <th>Test</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.id} data-model={m.id}>
                    <td>
                      <strong>{m.id}</strong>
                      <div className="muted small">
                        {m.name} · {m.source}
                      </div>
                    </td>
                    <td className="small">
                      {m.provider}
                      <div className="muted ellipsis">{m.baseUrl}</div>
                    </td>
                    <td>{m.requiredPlan}</td>
                    <td>{formatInt(m.contextWindow)}</td>
                    <td>
                      {m.priceInputPerMTok} · {m.priceOutputPerMTok}
                    </td>
                    <td title={m.apiKeyEnv ? `from ${m.apiKeyEnv}` : 'this model needs no key'}>
                      {!m.apiKeyEnv ? (
                        <span className="muted small">none</span>
                      ) : m.keyConfigured ? (
                        <Badge tone="ok">set</Badge>
                      ) : (
                        <Badge tone="bad">{m.apiKeyEnv} unset</Badge>
                      )}
                    </td>
                    <td>{m.active ? <Badge tone="ok">active</Badge> : <Badge tone="neutral">off</Badge>}</td>
                    <td>
                      <TestCell state={models.tests[m.id]} />
                    </td>
                    <td className="actions">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Test ${m.id}`}
                        disabled={models.tests[m.id]?.running}
                        onClick={() => void models.test(m.id)}
                      >
                        Test
                      </button>
                      <button type="button" className="secondary" aria-label={`Edit ${m.id}`} onClick={() => setEditing(m)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`${m.active ? 'Deactivate' : 'Activate'} ${m.id}`}
                        onClick={() => void models.setActive(m.id, !m.active)}
                      >
                        {m.active ? 'Deactivate' : 'Activate'}
                      </button>
                      {confirmDelete === m.id ? (
                        <button type="button" className="danger" onClick={() => void models.remove(m.id).then(() => setConfirmDelete(null))}>
                          Confirm delete
                        </button>
                      ) : (
                        <button type="button" className="secondary" aria-label={`Delete ${m.id}`} onClick={() => setConfirmDelete(m.id)}>
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </LoadState>
        </div>
        {editing && (
          <ModelEditor
            key={editing === 'new' ? 'new' : editing.id}
            model={editing === 'new' ? null : editing}
            models={models}
            onDone={() => setEditing(null)}
          />
        )}
      </div>
    </section>
  );
}
