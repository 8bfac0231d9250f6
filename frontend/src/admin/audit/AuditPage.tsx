import { useState, type FormEvent } from 'react';
import { Badge, LoadState, Pager } from '../ui';
import { AuditTable } from './AuditTable';
import { describeVerify, EMPTY_FORM, filterFromForm, type AuditForm } from './filter';
import { useAudit, useAuditTail, useChainCheck } from './useAudit';

function ChainBadge() {
  const check = useChainCheck();
  const d = check.data ? describeVerify(check.data) : null;
  return (
    <div className="chain" data-testid="chain-status">
      {check.loading ? (
        <Badge tone="neutral">Checking the chain…</Badge>
      ) : check.error ? (
        <Badge tone="warn">Could not check the chain: {check.error}</Badge>
      ) : (
        d && (
          <Badge tone={d.tone} label={d.text}>
            {d.tone === 'ok' ? '✔' : '✘'} {d.text}
          </Badge>
        )
      )}
      {d && !check.loading && <span className="muted small">{d.detail}</span>}
      <button type="button" className="secondary" onClick={() => void check.reload()} disabled={check.loading}>
        Verify again
      </button>
    </div>
  );
}

/** Audit log: filtered pages over the whole log, a live tail, exports and the chain's state. */
export function AuditPage() {
  const audit = useAudit();
  const { list, pages } = audit;
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  const [formError, setFormError] = useState<{ field: string; message: string } | null>(null);
  const [live, setLive] = useState(true);
  const tail = useAuditTail(live, audit.filter);
  const entries = list.data?.entries ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const r = filterFromForm(form);
    setFormError(r.ok ? null : { field: r.field, message: r.message });
    if (r.ok) audit.apply(r.filter);
  };
  const input = (key: keyof AuditForm, label: string, type = 'text') => (
    <label className="field">
      {label}
      <input
        type={type}
        aria-label={`Filter ${label.toLowerCase()}`}
        aria-invalid={formError?.field === key ? true : undefined}
        value={form[key]}
        onChange={(e) => {
          const value = e.target.value;
          setForm((f) => ({ ...f, [key]: value }));
        }}
      />
      {formError?.field === key && <span className="field-error">{formError.message}</span>}
    </label>
  );

  return (
    <section className="admin-page" aria-labelledby="audit-title">
      <header className="admin-head">
        <h1 id="audit-title">Audit log</h1>
        <span className="spacer" />
        <ChainBadge />
      </header>
      <form className="filters" onSubmit={submit} aria-label="Audit filters">
        {input('uid', 'User')}
        {input('action', 'Action')}
        {input('target', 'Target')}
        <label className="field">
          Outcome
          <select
            aria-label="Filter outcome"
            value={form.outcome}
            onChange={(e) => {
              const outcome = e.target.value as AuditForm['outcome'];
              setForm((f) => ({ ...f, outcome }));
            }}
          >
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="denied">denied</option>
            <option value="failed">failed</option>
          </select>
        </label>
        {input('from', 'From', 'datetime-local')}
        {input('to', 'To', 'datetime-local')}
        <div className="filter-actions">
          <button type="submit">Apply</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setForm(EMPTY_FORM);
              setFormError(null);
              audit.apply({});
            }}
          >
            Clear
          </button>
          <button type="button" className="secondary" disabled={audit.exporting !== null} onClick={() => void audit.exportAs('csv')}>
            {audit.exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" className="secondary" disabled={audit.exporting !== null} onClick={() => void audit.exportAs('json')}>
            {audit.exporting === 'json' ? 'Exporting…' : 'Export JSON'}
          </button>
        </div>
      </form>
      {audit.exportError && (
        <p className="admin-error" role="alert">
          {audit.exportError}
        </p>
      )}

      <section className="tail" aria-label="Live tail">
        <header className="row">
          <label className="inline">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live tail
          </label>
          <Badge tone={tail.state === 'live' ? 'ok' : tail.state === 'off' ? 'neutral' : 'warn'}>{tail.state}</Badge>
          {tail.error && <span className="admin-error small">{tail.error}</span>}
          <span className="muted small">New entries matching the filter appear here as they are chained.</span>
        </header>
        {live && tail.entries.length > 0 && <AuditTable entries={tail.entries} label="Live entries" />}
        {live && tail.entries.length === 0 && <p className="muted small empty">Waiting for new entries…</p>}
      </section>

      <LoadState
        loading={list.loading}
        error={list.error}
        empty={entries.length === 0}
        emptyText="No entries match this filter."
        onRetry={() => void list.reload()}
      >
        <AuditTable entries={entries} label="Audit entries" />
      </LoadState>
      <Pager pages={pages} next={list.data?.next} busy={list.loading} />
    </section>
  );
}
