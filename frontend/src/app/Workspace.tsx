import { useCallback, useEffect, useState } from 'react';
import type { ClientConfig, ProjectFiles } from '@patchpad/shared';
import type { Api } from '../api/client';
import { CodeEditor, type EditorFocus } from '../editor/CodeEditor';
import { FileTree } from '../editor/FileTree';
import { AssistantPanel } from '../assistant/AssistantPanel';
import { PreviewPane, type PreviewDiagnostic } from '../preview/PreviewPane';
import { useProject } from '../projects/useProject';

type Props = { api: Api; config: ClientConfig; email: string | null; onSignOut: () => void };

function firstOpenable(files: ProjectFiles): string {
  const paths = Object.keys(files);
  return paths.find((p) => p.endsWith('App.tsx')) ?? paths.find((p) => /\.(tsx?|jsx?)$/.test(p)) ?? paths[0] ?? '';
}

/** The IDE: files | editor | preview, with the assistant beside them. */
export function Workspace({ api, config, email, onSignOut }: Props) {
  const { state, setFile, setFiles, save, dirty } = useProject(api);
  const [active, setActive] = useState('');
  const [focus, setFocus] = useState<EditorFocus | null>(null);
  const [diagnostics, setDiagnostics] = useState<PreviewDiagnostic[]>([]);

  useEffect(() => {
    if (state.status === 'ready' && !(active in state.files)) setActive(firstOpenable(state.files));
  }, [state.status, state.files, active]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 's') {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  const onApplied = useCallback(
    (files: ProjectFiles, summary: string) => {
      setFiles(files);
      void save(files, summary);
    },
    [setFiles, save],
  );

  if (state.status === 'loading') return <p className="pad muted">Opening your project…</p>;
  if (state.status === 'error' && !state.project)
    return (
      <p className="pad error" role="alert">
        Could not open your project: {state.error}
      </p>
    );

  return (
    <div className="workspace">
      <header className="topbar">
        <strong>Patchpad</strong>
        <span className="muted">{state.project?.name}</span>
        <span className="spacer" />
        <span className="muted small" data-testid="save-status">
          {state.saving ? 'Saving…' : dirty.size > 0 ? `${dirty.size} unsaved` : state.version ? 'Saved' : ''}
        </span>
        <button type="button" onClick={() => void save()} disabled={state.saving || dirty.size === 0}>
          Save
        </button>
        <span className="muted small">{email}</span>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {state.error && (
        <p className="banner error" role="alert">
          {state.error}
        </p>
      )}
      <div className="panes">
        <FileTree paths={Object.keys(state.files)} active={active} dirty={dirty} onOpen={setActive} />
        <section className="editor" aria-label="Editor">
          {active && <CodeEditor path={active} value={state.files[active] ?? ''} onChange={setFile} onFocusChange={setFocus} />}
        </section>
        <section className="preview" aria-label="Preview">
          <PreviewPane files={state.files} bundlerUrl={config.previewUrl} onDiagnostics={setDiagnostics} />
        </section>
        <AssistantPanel
          api={api}
          config={config}
          files={state.files}
          projectId={state.project?.id ?? null}
          focus={focus}
          diagnostics={diagnostics}
          onApplied={onApplied}
        />
      </div>
    </div>
  );
}
