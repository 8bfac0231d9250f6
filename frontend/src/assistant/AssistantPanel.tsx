import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ClientConfig, PatchedFile, ProjectFiles, TaskMode, TypeCheck } from '@patchpad/shared';
import type { Api } from '../api/client';
import type { EditorFocus } from '../editor/focus';
import type { PreviewDiagnostic } from '../preview/diagnostics';
import { fixRequest } from './fix';
import { taskFiles } from './task-files';
import { useModels } from './useModels';
import { useTask } from './useTask';

/** A finished task's proposed change, for the review in the main editor area. */
export type Proposal = { taskId: string | null; prompt: string; explanation: string; patches: PatchedFile[]; check?: TypeCheck };

const MODES: { value: TaskMode; label: string }[] = [
  { value: 'patch', label: 'Change code' },
  { value: 'explain', label: 'Explain' },
  { value: 'generate_test', label: 'Write a test' },
  { value: 'lint_fix', label: 'Fix lint errors' },
];

const PHASES: Record<string, string> = {
  building_prompt: 'Building the prompt…',
  calling_model: 'Asking the model…',
  validating: 'Checking the diff applies…',
  repairing: 'The diff did not apply; asking the model to repair it…',
};

type Props = {
  api: Api;
  config: ClientConfig;
  files: ProjectFiles;
  /** The saved version's files and id: a task sends only what differs from them. */
  base: ProjectFiles;
  version: string | null;
  projectId: string | null;
  focus: EditorFocus | null;
  /** What the preview currently reports as broken, for "Fix with AI". */
  diagnostics: PreviewDiagnostic[];
  /** A result with file changes goes to the main area for review. */
  onProposal: (proposal: Proposal) => void;
  /** Bumped by Ctrl/Cmd+K: focus the prompt (about the editor's selection). */
  focusRequest: number;
};

export function AssistantPanel({ api, config, files, base, version, projectId, focus, diagnostics, onProposal, focusRequest }: Props) {
  const [prompt, setPrompt] = useState('');
  const [mode, setMode] = useState<TaskMode>('patch');
  const { models, defaultModel } = useModels(api, config);
  const [picked, setModel] = useState<string | null>(null);
  const model = picked ?? defaultModel ?? '';
  const { state, submit, cancel } = useTask(api);
  const running = state.status === 'submitting' || state.status === 'queued' || state.status === 'processing';
  const input = useRef<HTMLTextAreaElement>(null);
  const asked = useRef('');

  useEffect(() => {
    if (focusRequest > 0) input.current?.focus();
  }, [focusRequest]);

  // A finished change opens in the main area once.
  const proposed = useRef<string | null>(null);
  useEffect(() => {
    const changes = state.result?.filesModified ?? [];
    if (state.status !== 'done' || changes.length === 0 || proposed.current === state.taskId) return;
    proposed.current = state.taskId;
    onProposal({
      taskId: state.taskId,
      prompt: asked.current,
      explanation: state.result?.explanation ?? '',
      patches: changes,
      ...(state.result?.check ? { check: state.result.check } : {}),
    });
  }, [state.status, state.result, state.taskId, onProposal]);

  function ask(event: FormEvent) {
    event.preventDefault();
    if (running || prompt.trim() === '' || models.length === 0) return;
    asked.current = prompt;
    void submit({
      prompt,
      mode,
      // Only what differs from the saved version travels; the API fills in the rest.
      ...(projectId ? { projectId, ...taskFiles(files, base, version) } : { files }),
      ...(model ? { model } : {}),
      ...(focus && focus.path in files
        ? {
            activePath: focus.path,
            cursor: { path: focus.path, ...focus.cursor },
            ...(focus.selection ? { selection: { path: focus.path, ...focus.selection } } : {}),
          }
        : {}),
    });
  }

  function fixWithAi() {
    const body = fixRequest(diagnostics, files);
    if (!body) return;
    setPrompt(body.prompt);
    asked.current = body.prompt;
    void submit({ ...body, ...(projectId ? { projectId } : {}), ...(model ? { model } : {}) });
  }

  return (
    <aside className="assistant" aria-label="Assistant">
      {models.length === 0 && (
        <p className="banner" role="note">
          No model is configured, so the assistant cannot answer yet. Set <code>OPENAI_API_KEY</code>, <code>ANTHROPIC_API_KEY</code> or{' '}
          <code>OPENAI_COMPATIBLE_BASE_URL</code> with <code>OPENAI_COMPATIBLE_MODELS</code> (Ollama, LiteLLM) for the backend and restart — see “Connect a
          model” in the README.
        </p>
      )}
      {diagnostics.length > 0 && !running && (
        <div className="diagnostics" role="status">
          <strong>The preview reports {diagnostics.length === 1 ? 'a problem' : `${diagnostics.length} problems`}</strong>
          <ul>
            {diagnostics.slice(0, 3).map((d, i) => (
              <li key={i}>
                {d.title}
                {d.path ? ` in ${d.path}${d.line ? `:${d.line}` : ''}` : ''}: {d.message}
              </li>
            ))}
          </ul>
          <button type="button" onClick={fixWithAi} disabled={models.length === 0}>
            Fix with AI
          </button>
        </div>
      )}
      <form onSubmit={ask}>
        <div className="row">
          <select aria-label="Mode" value={mode} onChange={(e) => setMode(e.target.value as TaskMode)}>
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
          {models.length > 1 && (
            <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)}>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                </option>
              ))}
            </select>
          )}
        </div>
        <textarea
          ref={input}
          aria-label="Ask the assistant"
          placeholder={
            focus?.selection
              ? `Ask about lines ${focus.selection.startLine}-${focus.selection.endLine} of ${focus.path}…`
              : 'Ask for a change, e.g. “add a dark-mode toggle”'
          }
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) ask(e);
          }}
          rows={3}
        />
        <div className="row">
          <button
            type="submit"
            disabled={running || prompt.trim() === '' || models.length === 0}
            title={models.length === 0 ? 'No model is configured' : undefined}
          >
            Ask
          </button>
          {running && (
            <button type="button" className="secondary" onClick={() => void cancel()}>
              Stop
            </button>
          )}
          <span className="muted small" aria-live="polite" data-testid="task-status">
            {running ? (state.phase ? PHASES[state.phase] : 'Queued…') : state.status === 'done' ? 'Done' : state.status === 'cancelled' ? 'Stopped' : ''}
          </span>
        </div>
      </form>
      {state.error && (
        <p role="alert" className="error">
          {state.error.message}
        </p>
      )}
      {running && state.text && <pre className="stream">{state.text}</pre>}
      {state.result && (
        <div className="answer">
          {state.result.explanation && <p className="explanation">{state.result.explanation}</p>}
          {state.result.filesModified.length > 0 && (
            <p className="muted small">
              {state.result.filesModified.length} file{state.result.filesModified.length === 1 ? '' : 's'} changed: review the change in the editor area.
            </p>
          )}
          {state.metrics && (
            <p className="muted small">
              {state.metrics.model} · {state.metrics.tokensIn} in / {state.metrics.tokensOut} out · {Math.round((state.metrics.durationMs ?? 0) / 100) / 10} s
              {state.metrics.attempts > 1 ? ` · ${state.metrics.attempts} attempts` : ''}
            </p>
          )}
        </div>
      )}
    </aside>
  );
}
