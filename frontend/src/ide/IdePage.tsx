import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { PackageCapabilityResponse, ProjectFiles, VersionSummary } from '@patchpad/shared';
import { useSession } from '../app/session';
import { Topbar } from '../app/Topbar';
import { AssistantPanel } from '../assistant/AssistantPanel';
import { TaskHistory } from '../assistant/TaskHistory';
import type { EditorCommand } from '../editor/CodeEditor';
import type { EditorFocus } from '../editor/focus';
import { FileTree } from '../editor/FileTree';
import { createProblem, pathProblem, renamePlan, renameProblem } from '../editor/tree';
import { HistoryPanel } from '../history/HistoryPanel';
import { VersionDiff } from '../history/VersionDiff';
import type { PreviewDiagnostic } from '../preview/diagnostics';
import { useProjectPreviewUrl } from '../preview/origin';
import { apiPackages } from '../preview/access';
import { API_BASE } from '../api/client';
import { ReviewView } from '../review/ReviewView';
import { useReview } from '../review/useReview';
import { ConflictView } from './ConflictView';
import { QuickOpen } from './QuickOpen';
import { Splitter, usePaneWidth } from './Splitter';
import { Tabs } from './Tabs';
import { useProjectSession } from './useProjectSession';
import './ide.css';
import '../review/review.css';

// Monaco and Sandpack load on demand, behind skeletons.
const CodeEditor = lazy(() => import('../editor/CodeEditor'));
const PreviewPane = lazy(() => import('../preview/PreviewPane').then((m) => ({ default: m.PreviewPane })));

function firstOpenable(files: ProjectFiles): string {
  const paths = Object.keys(files).sort();
  return (
    paths.find((p) => /(^|\/)App\.(tsx|jsx)$/.test(p)) ??
    paths.find((p) => /^src\/index\.(t|j)sx?$/.test(p)) ??
    paths.find((p) => /\.(tsx?|jsx?)$/.test(p)) ??
    paths[0] ??
    ''
  );
}

type SidePanel = 'assistant' | 'history' | 'tasks';

/** A project in the IDE: files | editor (or review, history diff, conflicts) | preview | assistant. */
export default function IdePage() {
  const { projectId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const { api, projects, config } = useSession();
  const session = useProjectSession(projects, projectId);
  const { state, dirty } = session;
  const reviewing = useReview(api, session);
  /** One line of news at a time: a notice replaces the last apply's summary. */
  const setNotice = (text: string | null) => {
    reviewing.dismiss();
    showNotice(text);
  };
  const [tabs, setTabs] = useState<string[]>([]);
  const [folders, setFolders] = useState<string[]>([]);
  const [focus, setFocus] = useState<EditorFocus | null>(null);
  const [diagnostics, setDiagnostics] = useState<PreviewDiagnostic[]>([]);
  // The preview of each project runs on its own origin, with package access for this project.
  const previewUrl = useProjectPreviewUrl(config.previewUrl, projectId);
  const packages = useMemo(
    () =>
      apiPackages(new URL(`${API_BASE}/api/packages`, location.href).toString(), () =>
        api.post<PackageCapabilityResponse>('/api/packages/capability', { projectId }),
      ),
    [api, projectId],
  );
  const [side, setSide] = useState<SidePanel>('assistant');
  const [askRequest, setAskRequest] = useState(0);
  const [quickOpen, setQuickOpen] = useState(false);
  const [viewing, setViewing] = useState<{ version: VersionSummary; files: ProjectFiles | null } | null>(null);
  const [restoring, setRestoring] = useState(false);
  // A page that sent us here may leave a line of news (an import's skipped files).
  const arrival = useLocation().state as { notice?: string } | null;
  const [notice, showNotice] = useState<string | null>(arrival?.notice ?? null);
  const [treeW, setTreeW] = usePaneWidth('tree', 220, 140, 480);
  const [previewW, setPreviewW] = usePaneWidth('preview', 420, 200, 900);
  const [sideW, setSideW] = usePaneWidth('side', 340, 240, 640);

  const paths = useMemo(() => Object.keys(state.files).sort(), [state.files]);
  const requested = search.get('file');
  const active = requested !== null && requested in state.files ? requested : firstOpenable(state.files);

  const open = useCallback(
    (path: string) => {
      setTabs((t) => (t.includes(path) ? t : [...t, path]));
      setSearch((s) => (s.set('file', path), s), { replace: true });
      setViewing(null);
    },
    [setSearch],
  );
  useEffect(() => {
    setTabs((t) => {
      const kept = t.filter((p) => p in state.files);
      const next = active && !kept.includes(active) ? [...kept, active] : kept;
      return next.length === t.length && next.every((p, i) => p === t[i]) ? t : next;
    });
  }, [active, state.files]);

  const command = useCallback(
    (c: EditorCommand) => {
      if (c === 'ask') {
        setSide('assistant');
        setAskRequest((n) => n + 1);
      } else if (c === 'quick-open') setQuickOpen(true);
      else void session.save();
    },
    [session],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      const c: EditorCommand | null = key === 'p' ? 'quick-open' : key === 'k' ? 'ask' : key === 's' ? 'save' : null;
      if (!c) return;
      e.preventDefault();
      command(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [command]);

  const setFile = useCallback((path: string, value: string) => session.edit((f) => (f[path] === value ? f : { ...f, [path]: value })), [session]);

  const tree = {
    onOpen: open,
    onCreate: (path: string, kind: 'file' | 'folder') => {
      if (kind === 'file' ? createProblem(path, paths) : pathProblem(path, paths)) return;
      if (kind === 'folder') return setFolders((f) => [...f, path]);
      session.edit((f) => ({ ...f, [path]: '' }));
      open(path);
    },
    renameProblem: (from: string, to: string) => (to === from ? null : renameProblem(paths, renamePlan(paths, from, to))),
    onRename: (from: string, to: string) => {
      const plan = renamePlan(paths, from, to);
      setFolders((fs) => fs.map((f) => (f === from || f.startsWith(`${from}/`) ? `${to}${f.slice(from.length)}` : f)));
      if (plan.size === 0 || renameProblem(paths, plan)) return;
      session.edit((f) => {
        const next: ProjectFiles = {};
        for (const [p, c] of Object.entries(f)) next[plan.get(p) ?? p] = c;
        return next;
      });
      setTabs((t) => t.map((p) => plan.get(p) ?? p));
      if (plan.has(active)) open(plan.get(active)!);
    },
    onDelete: (path: string, kind: 'file' | 'folder') => {
      const doomed = paths.filter((p) => p === path || p.startsWith(`${path}/`));
      setFolders((fs) => fs.filter((f) => f !== path && !f.startsWith(`${path}/`)));
      if (doomed.length === 0) return;
      const what = kind === 'folder' ? `the folder ${path} and its ${doomed.length} file${doomed.length === 1 ? '' : 's'}` : path;
      if (!window.confirm(`Delete ${what}? You can get it back from the history.`)) return;
      session.edit((f) => Object.fromEntries(Object.entries(f).filter(([p]) => !doomed.includes(p))));
    },
  };

  const openVersion = (version: VersionSummary) => {
    setViewing({ version, files: null });
    projects
      .load(projectId, version.id)
      .then((s) => setViewing((v) => (v?.version.id === version.id ? { version, files: s.files } : v)))
      .catch((err: Error) => setNotice(`Could not open that version: ${err.message}`));
  };
  const restoreVersion = async () => {
    if (!viewing) return;
    setRestoring(true);
    try {
      await session.save(); // what is typed goes into history first, so the restore loses nothing
      const snapshot = await projects.restoreVersion(projectId, viewing.version.id);
      session.replaceAll(snapshot);
      setNotice(`Restored the version of ${new Date(viewing.version.createdAt).toLocaleString()} as version ${snapshot.version}`);
      setViewing(null);
    } catch (err) {
      setNotice(`Restore failed: ${(err as Error).message}`);
    } finally {
      setRestoring(false);
    }
  };

  if (state.status === 'loading') return <LoadingIde />;
  if (state.status === 'error')
    return (
      <div className="page">
        <Topbar />
        <main className="pad" role="alert">
          <p className="error">Could not open this project: {state.error}</p>
          <Link to="/">Back to your projects</Link>
        </main>
      </div>
    );

  const overlay = state.conflict !== null || reviewing.review !== null || viewing !== null;
  const saveStatus = state.conflict
    ? 'Conflict: choose what to keep'
    : state.saving
      ? 'Saving…'
      : state.saveError
        ? `Save failed: ${state.saveError}${state.saveRetryable ? ' (retrying)' : ''}`
        : dirty.size > 0
          ? `${dirty.size} unsaved`
          : 'Saved';

  return (
    <div className="page ide">
      <Topbar>
        <span className="crumb">/</span>
        <strong data-testid="project-name">{state.project?.name}</strong>
        <span className={`muted small save-status${state.saveError ? ' error' : ''}`} data-testid="save-status" aria-live="polite">
          {saveStatus}
        </span>
        <button type="button" className="secondary" onClick={() => void session.save()} disabled={state.saving || dirty.size === 0 || state.conflict !== null}>
          Save
        </button>
      </Topbar>
      {(notice || reviewing.applied) && (
        <div className="banner" role="status" data-testid="notice">
          {notice ?? reviewing.applied?.message}
          {!notice &&
            reviewing.applied?.problems.map((p) => (
              <div key={p} className="error small">
                {p}
              </div>
            ))}
          {!notice && reviewing.applied?.change && (
            <button type="button" className="link" onClick={() => void reviewing.undo()}>
              Undo
            </button>
          )}
          <button type="button" className="link" aria-label="Dismiss" onClick={() => (setNotice(null), reviewing.dismiss())}>
            ×
          </button>
        </div>
      )}
      <div className="ide-grid" style={{ gridTemplateColumns: `${treeW}px 5px minmax(240px, 1fr) 5px ${previewW}px 5px ${sideW}px` }}>
        <FileTree paths={paths} folders={folders} active={active} dirty={dirty} {...tree} />
        <Splitter label="Resize the file tree" width={treeW} onWidth={setTreeW} direction={1} />
        <section className="main-area" aria-label="Editor">
          {/* The editor stays mounted under the other views: its models keep their undo history and cursor. */}
          <div className="editor-pane" hidden={overlay}>
            <Tabs tabs={tabs} active={active} dirty={dirty} onOpen={open} onClose={(p) => setTabs((t) => t.filter((x) => x !== p))} />
            <div className="editor-host">
              <Suspense fallback={<div className="skeleton editor-skeleton" aria-label="Loading the editor" />}>
                {active && <CodeEditor path={active} value={state.files[active] ?? ''} onChange={setFile} onFocusChange={setFocus} onCommand={command} />}
              </Suspense>
            </div>
          </div>
          {state.conflict ? (
            <ConflictView key={state.conflict.theirsVersion} conflict={state.conflict} onResolve={session.resolve} />
          ) : reviewing.review ? (
            <ReviewView
              review={reviewing.review}
              current={state.files}
              onDecide={reviewing.decide}
              onDecideAll={reviewing.decideAll}
              onApply={() => void reviewing.apply()}
              onDiscard={reviewing.discard}
            />
          ) : viewing ? (
            <VersionDiff
              version={viewing.version}
              files={viewing.files}
              current={state.files}
              restoring={restoring}
              onRestore={() => void restoreVersion()}
              onClose={() => setViewing(null)}
            />
          ) : null}
        </section>
        <Splitter label="Resize the preview" width={previewW} onWidth={setPreviewW} direction={-1} />
        <section className="preview" aria-label="Preview">
          <Suspense fallback={<div className="skeleton" aria-label="Loading the preview" />}>
            {previewUrl || !config.previewUrl ? (
              <PreviewPane files={state.files} bundlerUrl={previewUrl} packages={packages} onDiagnostics={setDiagnostics} />
            ) : null}
          </Suspense>
        </section>
        <Splitter label="Resize the side panel" width={sideW} onWidth={setSideW} direction={-1} />
        <aside className="side">
          <nav className="tabs" aria-label="Side panel">
            {(['assistant', 'history', 'tasks'] as const).map((p) => (
              <button key={p} type="button" className={side === p ? 'tab active' : 'tab'} onClick={() => setSide(p)}>
                {p === 'assistant' ? 'Assistant' : p === 'history' ? 'History' : 'Tasks'}
              </button>
            ))}
          </nav>
          <div hidden={side !== 'assistant'} className="side-body">
            <AssistantPanel
              api={api}
              config={config}
              files={state.files}
              base={state.base}
              version={state.version}
              projectId={projectId}
              focus={focus}
              diagnostics={diagnostics}
              onProposal={(p) => (showNotice(null), reviewing.open(p))}
              focusRequest={askRequest}
            />
          </div>
          {side === 'history' && <HistoryPanel api={projects} projectId={projectId} current={state.version} onOpen={openVersion} />}
          {side === 'tasks' && <TaskHistory api={api} projectId={projectId} refresh={reviewing.applied ? 1 : 0} />}
        </aside>
      </div>
      {quickOpen && <QuickOpen paths={paths} onOpen={(p) => (setQuickOpen(false), open(p))} onClose={() => setQuickOpen(false)} />}
    </div>
  );
}

function LoadingIde() {
  return (
    <div className="page">
      <Topbar />
      <p className="pad muted">Opening the project…</p>
    </div>
  );
}
