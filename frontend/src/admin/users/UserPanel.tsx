import { useState } from 'react';
import type { AdminUser, Plan } from '@patchpad/shared';
import { serverFieldErrors, type FieldErrors } from '../field-errors';
import { formatInt, formatUsd } from '../format';
import { OVERRIDE_FIELDS, overridesForm, parseOverrides, type OverridesForm } from './overrides';
import type { UsersModel } from './useUsers';

/** One user's allowances and access, each change sent on its own (and audited on its own). */
export function UserPanel({ user, model, onClose }: { user: AdminUser; model: UsersModel; onClose: () => void }) {
  const [plan, setPlan] = useState<Plan>(user.plan);
  const [form, setForm] = useState<OverridesForm>(overridesForm(user.overrides));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [reason, setReason] = useState('');
  const [confirmReset, setConfirmReset] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const run = async (done: string, fn: () => Promise<void>) => {
    setBusy(true);
    setStatus(null);
    try {
      await fn();
      setStatus({ ok: true, text: done });
    } catch (err) {
      const fields = serverFieldErrors(err);
      if (fields) setFieldErrors(fields);
      setStatus({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const saveOverrides = () => {
    const parsed = parseOverrides(form);
    setFieldErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) return setStatus({ ok: false, text: 'Fix the fields marked below.' });
    void run('Overrides saved.', () => model.patch(user.uid, { overrides: parsed.value }));
  };
  const who = user.email ?? user.uid;

  return (
    <aside className="admin-panel" aria-label={`User ${who}`}>
      <header className="panel-head">
        <div>
          <strong>{who}</strong>
          <div className="muted small">{user.uid}</div>
        </div>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close user">
          ×
        </button>
      </header>

      <h2>Plan</h2>
      <div className="row">
        <select aria-label="Plan" value={plan} onChange={(e) => setPlan(e.target.value as Plan)} disabled={busy}>
          <option value="free">free</option>
          <option value="pro">pro</option>
          <option value="enterprise">enterprise</option>
        </select>
        <button type="button" disabled={busy || plan === user.plan} onClick={() => void run(`Plan set to ${plan}.`, () => model.patch(user.uid, { plan }))}>
          Set plan
        </button>
      </div>

      <h2>Quota overrides</h2>
      <p className="muted small">
        Blank: the plan’s allowance. Now: {formatInt(user.tokens.limit)} tokens a month, {user.tasksToday.limit} tasks a day.
      </p>
      {OVERRIDE_FIELDS.map(({ key, label }) => (
        <label key={key} className="field">
          {label}
          <input
            inputMode="numeric"
            aria-label={label}
            aria-invalid={fieldErrors[key] ? true : undefined}
            value={form[key]}
            onChange={(e) => {
              const value = e.target.value;
              // Functional: two quick edits in a row must not overwrite each other.
              setForm((f) => ({ ...f, [key]: value }));
              setFieldErrors(({ [key]: _drop, ...rest }) => rest);
            }}
          />
          {fieldErrors[key] && <span className="field-error">{fieldErrors[key]}</span>}
        </label>
      ))}
      <button type="button" disabled={busy} onClick={saveOverrides}>
        Save overrides
      </button>

      <h2>Usage this period</h2>
      <p className="small">
        {formatInt(user.tokens.used)} tokens used, {formatInt(user.tokens.reserved)} reserved · {user.tasksToday.used}{' '}
        {user.tasksToday.used === 1 ? 'task' : 'tasks'} today · {formatUsd(user.costUsd)}
      </p>
      {confirmReset ? (
        <div className="row">
          <span className="small">Set this period’s token and task counters to zero?</span>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void run('Usage reset.', () => model.resetUsage(user.uid)).then(() => setConfirmReset(false))}
          >
            Confirm reset
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmReset(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" disabled={busy} onClick={() => setConfirmReset(true)}>
          Reset usage
        </button>
      )}

      <h2>Access</h2>
      {user.disabled ? (
        <div className="row">
          <span className="small">Disabled{user.disabledReason ? `: ${user.disabledReason}` : ''}</span>
          <button type="button" disabled={busy} onClick={() => void run('Account enabled.', () => model.patch(user.uid, { disabled: false }))}>
            Enable
          </button>
        </div>
      ) : (
        <div className="row">
          <input
            aria-label="Reason for disabling"
            placeholder="Reason (the user sees it)"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
          <button
            type="button"
            className="danger"
            disabled={busy || reason.trim() === ''}
            onClick={() => void run('Account disabled.', () => model.patch(user.uid, { disabled: true, disabledReason: reason.trim() }))}
          >
            Disable
          </button>
        </div>
      )}
      <div className="row">
        <span className="small">{user.admin ? 'Has the admin role.' : 'No admin role.'}</span>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run(user.admin ? 'Admin role revoked.' : 'Admin role granted.', () => model.patch(user.uid, { admin: !user.admin }))}
        >
          {user.admin ? 'Revoke admin' : 'Grant admin'}
        </button>
      </div>
      {status && (
        <p role={status.ok ? 'status' : 'alert'} className={status.ok ? 'ok small' : 'admin-error'}>
          {status.text}
        </p>
      )}
    </aside>
  );
}
