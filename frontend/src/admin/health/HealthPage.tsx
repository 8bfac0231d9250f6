import { useState } from 'react';
import type { AdminHealth } from '@patchpad/shared';
import { useAdminApi } from '../context';
import { formatAgo, formatBytes, formatInt, formatTime } from '../format';
import { Badge, LoadState, Stat } from '../ui';
import { useLoad } from '../useLoad';

const REFRESH_MS = 5000;
const ok = (b: boolean, yes = 'ok', no = 'down') => <Badge tone={b ? 'ok' : 'bad'}>{b ? yes : no}</Badge>;
const breakerTone = (state: string) => (state === 'closed' ? 'ok' : state === 'open' ? 'bad' : 'warn');

function Parts({ h }: { h: AdminHealth }) {
  return (
    <div className="cards">
      <div className="card" aria-label="Redis">
        <h2>Redis {ok(h.redis.ok)}</h2>
        <Stat label="Ping" value={`${h.redis.ms} ms`} />
        <Stat label="Memory" value={formatBytes(h.redis.usedMemoryBytes)} />
        <Stat label="Clients" value={h.redis.connectedClients ?? '–'} />
        {h.redis.error && <p className="admin-error small">{h.redis.error}</p>}
      </div>
      <div className="card" aria-label="Store">
        <h2>Store {ok(h.store.ok)}</h2>
        <Stat label="Driver" value={h.store.driver} />
        <Stat label="Reached in" value={`${h.store.ms} ms`} />
        {h.store.error && <p className="admin-error small">{h.store.error}</p>}
      </div>
      <div className="card" aria-label="Queue">
        <h2>Queue {h.queue ? ok(h.queue.failed === 0, 'ok', `${h.queue.failed} failed`) : <Badge tone="warn">no answer</Badge>}</h2>
        {h.queue && (
          <>
            <Stat label="Waiting" value={formatInt(h.queue.waiting)} />
            <Stat label="Active" value={formatInt(h.queue.active)} />
            <Stat label="Delayed" value={formatInt(h.queue.delayed)} />
            <Stat label="Failed" value={formatInt(h.queue.failed)} />
          </>
        )}
      </div>
      <div className="card" aria-label="Tasks">
        <h2>Tasks {h.tasks ? ok(h.tasks.stuck === 0, 'ok', `${h.tasks.stuck} stuck`) : <Badge tone="warn">no answer</Badge>}</h2>
        {h.tasks && (
          <>
            <Stat label="Live" value={formatInt(h.tasks.live)} />
            <Stat label="Stuck" value={formatInt(h.tasks.stuck)} />
            <Stat
              label="Reaped"
              value={Object.values(h.tasks.reaped).reduce((a, b) => a + b, 0)}
              hint={Object.entries(h.tasks.reaped)
                .map(([why, n]) => `${why}: ${n}`)
                .join(', ')}
            />
          </>
        )}
      </div>
      <div className="card" aria-label="Audit">
        <h2>Audit {h.audit ? ok(h.audit.pending < 1000, 'ok', 'backlog') : <Badge tone="warn">no answer</Badge>}</h2>
        {h.audit && (
          <>
            <Stat label="Pending" value={formatInt(h.audit.pending)} hint="accepted, not yet chained" />
            <Stat label="Chained" value={formatInt(h.audit.chained)} />
          </>
        )}
      </div>
    </div>
  );
}

/** Health: every dependency and moving part, refreshed every 5 s while the page is open. */
export function HealthPage() {
  const api = useAdminApi();
  const [auto, setAuto] = useState(true);
  const health = useLoad(() => api.health(), 'health', auto ? REFRESH_MS : undefined);
  const h = health.data;

  return (
    <section className="admin-page" aria-labelledby="health-title">
      <header className="admin-head">
        <h1 id="health-title">Health</h1>
        {h && (
          <Badge tone={h.status === 'ok' ? 'ok' : 'bad'} label={`Overall ${h.status}`}>
            {h.status}
          </Badge>
        )}
        <span className="spacer" />
        <label className="inline">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Refresh every 5 s
        </label>
        <button type="button" className="secondary" onClick={() => void health.reload()}>
          Refresh now
        </button>
        {health.loadedAt && <span className="muted small">as of {formatTime(new Date(health.loadedAt).toISOString())}</span>}
      </header>
      <LoadState loading={health.loading} error={health.error} empty={!h} emptyText="No health data." onRetry={() => void health.reload()}>
        {h && (
          <>
            <Parts h={h} />
            <h2>Workers ({h.workers.length} live)</h2>
            {h.workers.length === 0 ? (
              <p className="admin-error">No worker has reported in: tasks will wait in the queue.</p>
            ) : (
              <table className="admin-table" aria-label="Workers">
                <thead>
                  <tr>
                    <th>Worker</th>
                    <th>Host</th>
                    <th>Running</th>
                    <th>Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {h.workers.map((w) => (
                    <tr key={w.id}>
                      <td>
                        <code>{w.id}</code>
                      </td>
                      <td>{w.host}</td>
                      <td>
                        {w.running} / {w.concurrency}
                      </td>
                      <td>{formatAgo(w.lastSeenAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>Providers</h2>
            {h.providers.length === 0 ? (
              <p className="muted empty">No provider has been called since the gateways started.</p>
            ) : (
              <table className="admin-table" aria-label="Providers">
                <thead>
                  <tr>
                    <th>Provider</th>
                    <th>Breaker</th>
                    <th>Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {h.providers.map((p) => (
                    <tr key={p.provider}>
                      <td>{p.provider}</td>
                      <td>
                        <Badge tone={breakerTone(p.state)}>{p.state}</Badge>
                      </td>
                      <td className="small">{p.lastError ?? <span className="muted">none</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </LoadState>
    </section>
  );
}
