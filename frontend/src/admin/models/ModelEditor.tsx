import { useState, type FormEvent, type ReactNode } from 'react';
import type { AdminModel } from '@patchpad/shared';
import { serverFieldErrors, type FieldErrors } from '../field-errors';
import { createBody, emptyModelForm, formFromModel, patchBody, type ModelForm } from './form';
import type { ModelsModel } from './useModels';

const LABELS: Record<keyof ModelForm, string> = {
  id: 'Id',
  name: 'Name',
  provider: 'Provider',
  baseUrl: 'Base URL',
  upstreamModel: 'Upstream model',
  apiKeyEnv: 'Key variable',
  requiredPlan: 'Required plan',
  contextWindow: 'Context window',
  maxOutputTokens: 'Max output tokens',
  priceInputPerMTok: 'Input $/M tokens',
  priceOutputPerMTok: 'Output $/M tokens',
  fallbacks: 'Fallbacks',
  active: 'Active',
};

/** Create or edit one registry entry; problems show under their field, the server's as well as ours. */
export function ModelEditor({ model, models, onDone }: { model: AdminModel | null; models: ModelsModel; onDone: () => void }) {
  const [form, setForm] = useState<ModelForm>(model ? formFromModel(model) : emptyModelForm());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof ModelForm>(key: K, value: ModelForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _drop, ...rest }) => rest);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = model ? patchBody(form) : createBody(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage('Fix the fields marked below.');
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      if (model) await models.patch(model.id, checked.body);
      else await models.create(checked.body as Parameters<ModelsModel['create']>[0]);
      onDone();
    } catch (err) {
      setErrors(serverFieldErrors(err) ?? {});
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof ModelForm, control: ReactNode, hint?: string) => (
    <label className="field" key={key}>
      {LABELS[key]}
      {control}
      {hint && !errors[key] && <span className="muted small">{hint}</span>}
      {errors[key] && (
        <span className="field-error" data-field={key}>
          {errors[key]}
        </span>
      )}
    </label>
  );
  const text = (key: Exclude<keyof ModelForm, 'active' | 'provider' | 'requiredPlan'>, hint?: string, disabled = false) =>
    field(
      key,
      <input
        aria-label={LABELS[key]}
        aria-invalid={errors[key] ? true : undefined}
        value={form[key]}
        disabled={disabled}
        onChange={(e) => set(key, e.target.value)}
      />,
      hint,
    );

  return (
    <form className="admin-panel model-form" onSubmit={(e) => void submit(e)} aria-label={model ? `Edit ${model.id}` : 'New model'}>
      <header className="panel-head">
        <strong>{model ? `Edit ${model.id}` : 'New model'}</strong>
        <button type="button" className="secondary" onClick={onDone} aria-label="Close editor">
          ×
        </button>
      </header>
      {text('id', 'lower-case; what the IDE and the worker ask for', model !== null)}
      {text('name')}
      {field(
        'provider',
        <select aria-label={LABELS.provider} value={form.provider} onChange={(e) => set('provider', e.target.value as ModelForm['provider'])}>
          <option value="openai_compatible">OpenAI-compatible</option>
          <option value="anthropic">Anthropic</option>
        </select>,
      )}
      {text('baseUrl')}
      {text('upstreamModel', 'the model name at the provider')}
      {text('apiKeyEnv', 'the NAME of the variable holding the key; blank for none')}
      {field(
        'requiredPlan',
        <select aria-label={LABELS.requiredPlan} value={form.requiredPlan} onChange={(e) => set('requiredPlan', e.target.value as ModelForm['requiredPlan'])}>
          <option value="free">free</option>
          <option value="pro">pro</option>
          <option value="enterprise">enterprise</option>
        </select>,
      )}
      <div className="row">
        {text('contextWindow')}
        {text('maxOutputTokens')}
      </div>
      <div className="row">
        {text('priceInputPerMTok')}
        {text('priceOutputPerMTok')}
      </div>
      {text('fallbacks', 'model ids, tried in this order')}
      <label className="inline">
        <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} /> Active
      </label>
      {message && (
        <p className="admin-error" role="alert">
          {message}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : model ? 'Save changes' : 'Create model'}
      </button>
    </form>
  );
}
