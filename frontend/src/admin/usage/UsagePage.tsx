import { lazy, Suspense, useState } from 'react';
import type { UsageRange } from '@patchpad/shared';
import { useAdminApi } from '../context';
import { formatMs, formatPercent, formatTokens, formatUsd } from '../format';
import { LoadState, Stat } from '../ui';
import { useLoad } from '../useLoad';
import { isEmptyUsage } from './series';

const UsageCharts = lazy(() => import('./UsageCharts'));
const RANGES: { id: UsageRange; label: string }[] = [
  { id: '24h', label: '24 h' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
];

/** Usage: tokens and cost per model, task outcomes, rates, durations and top users over a range. */
export function UsagePage() {
  const api = useAdminApi();
  const [range, setRange] = useState<UsageRange>('7d');
  const usage = useLoad(() => api.usage(range), range);
  const u = usage.data;

  return (
    <section className="admin-page" aria-labelledby="usage-title">
      <header className="admin-head">
        <h1 id="usage-title">Usage</h1>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button key={r.id} type="button" className={r.id === range ? '' : 'secondary'} aria-pressed={r.id === range} onClick={() => setRange(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
      </header>
      <LoadState loading={usage.loading} error={usage.error} empty={!u} emptyText="No usage data." onRetry={() => void usage.reload()}>
        {u && (
          <>
            <div className="stats">
              <Stat label="Success rate" value={formatPercent(u.successRate)} hint="done ÷ (done + failed)" />
              <Stat label="Patch acceptance" value={formatPercent(u.acceptanceRate)} hint="hunks accepted ÷ decided" />
              <Stat label="Duration p50" value={formatMs(u.durationMs.p50)} />
              <Stat label="Duration p95" value={formatMs(u.durationMs.p95)} />
              <Stat label="Tokens" value={formatTokens(u.byModel.reduce((n, r) => n + r.tokensIn + r.tokensOut, 0))} />
              <Stat label="Cost" value={formatUsd(u.byModel.reduce((n, r) => n + r.costUsd, 0))} />
            </div>
            {isEmptyUsage(u) ? (
              <p className="muted empty">No model calls or tasks in this range yet.</p>
            ) : (
              <Suspense fallback={<p className="muted">Loading charts…</p>}>
                <UsageCharts usage={u} />
              </Suspense>
            )}
            <h2>Top users</h2>
            {u.topUsers.length === 0 ? (
              <p className="muted empty">Nobody used a model in this range.</p>
            ) : (
              <table className="admin-table" aria-label="Top users">
                <thead>
                  <tr>
                    <th>User</th>
                    <th>Tokens</th>
                    <th>Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {u.topUsers.map((t) => (
                    <tr key={t.uid}>
                      <td>{t.email ?? t.uid}</td>
                      <td>{formatTokens(t.tokens)}</td>
                      <td>{formatUsd(t.costUsd)}</td>
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
