import { SandpackConsole, SandpackPreview, SandpackProvider, type SandpackProviderProps } from '@codesandbox/sandpack-react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type CSSProperties } from 'react';
import { useSecureChannelIds } from './channel-id';
import type { PreviewDiagnostic } from './diagnostics';
import { toSandpackPath, useDiagnostics, useFileSync } from './hooks';
import type { PreviewPackages } from './access';
import { usePackageAccess } from './packages';
import { SlowPreviewNotice } from './progress';

export type { PreviewDiagnostic } from './diagnostics';
export type { PreviewPackages } from './access';

export interface PreviewPaneProps {
  /** Project-relative paths without a leading slash (`src/App.tsx`, `package.json`). */
  files: Record<string, string>;
  /** Patchpad's preview runtime on this project's own origin; null = CodeSandbox's hosted bundler. */
  bundlerUrl: string | null;
  /** The package service, for imports the runtime's cache lacks; absent: the cache only. */
  packages?: PreviewPackages | null;
  /** Syntax, module and runtime errors with path/line/column, for "Fix with AI". */
  onDiagnostics?: (diagnostics: PreviewDiagnostic[]) => void;
  /** Overrides the compile trigger chosen for the bundler (the benchmark measures both). */
  recompileMode?: 'immediate' | 'delayed';
  /** Seconds before the "taking longer than usual" notice (default 6). */
  slowAfterSeconds?: number;
}

type Options = NonNullable<SandpackProviderProps['options']>;

/** setTimeout's ceiling (~24.8 days): Sandpack's "Couldn't connect to server" page never comes. */
const NEVER = 2 ** 31 - 1;

/**
 * Self-hosted: compile on every edit (`immediate`): the runtime re-transpiles only the
 * edited file and Fast Refreshes it, a few ms (see bench/preview). Hosted: Sandpack's
 * default debounce, since each compile there costs far more. Either way Sandpack's own
 * timeout page is off: SlowPreviewNotice waits with progress instead.
 */
export function previewOptions(bundlerUrl: string | null, recompileMode?: 'immediate' | 'delayed'): Options {
  const common: Options = { initMode: 'immediate', autorun: true, bundlerTimeOut: NEVER };
  const options: Options = bundlerUrl
    ? { ...common, bundlerURL: bundlerUrl, recompileMode: 'immediate' }
    : { ...common, recompileMode: 'delayed', recompileDelay: 300 };
  return recompileMode ? { ...options, recompileMode } : options;
}

const column: CSSProperties = { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 };

interface Latest {
  files: Record<string, string>;
  onDiagnostics: PreviewPaneProps['onDiagnostics'];
  packages: PreviewPackages | null | undefined;
  listeners: Set<() => void>;
}

/**
 * Everything that talks to Sandpack. It reads the files from `latest` (a subscription)
 * instead of props, so an edit re-renders this alone, not the provider and its panes.
 * `earlyEdits`: our runtime compiling on every edit, so edits go to it first (useFileSync);
 * with `recompileMode: 'delayed'` Sandpack's debounce decides when the runtime hears of them.
 */
function Bridges({ latest, earlyEdits }: { latest: Latest; earlyEdits: boolean }) {
  const files = useSyncExternalStore(
    useCallback(
      (onChange: () => void) => {
        latest.listeners.add(onChange);
        return () => void latest.listeners.delete(onChange);
      },
      [latest],
    ),
    () => latest.files,
  );
  useSecureChannelIds();
  useFileSync(files, earlyEdits);
  useDiagnostics(latest.onDiagnostics);
  usePackageAccess(latest.packages);
  return null;
}

export function PreviewPane({ files, bundlerUrl, packages, onDiagnostics, recompileMode, slowAfterSeconds = 6 }: PreviewPaneProps) {
  const latest = useRef<Latest>({ files, onDiagnostics, packages, listeners: new Set() }).current;
  latest.onDiagnostics = onDiagnostics;
  latest.packages = packages;
  useLayoutEffect(() => {
    if (latest.files === files) return;
    latest.files = files;
    for (const listener of latest.listeners) listener();
  }, [latest, files]);
  const [attempt, setAttempt] = useState(0);
  const options = useMemo(() => previewOptions(bundlerUrl, recompileMode), [bundlerUrl, recompileMode]);
  // The same element on every edit: React skips the provider, the preview and the console;
  // only Bridges re-renders. The provider keeps its own file state, fed by useFileSync.
  return useMemo(() => {
    const initialFiles = Object.fromEntries(Object.entries(latest.files).map(([path, code]) => [toSandpackPath(path), code]));
    return (
      <SandpackProvider key={`${bundlerUrl ?? 'hosted'}#${attempt}`} template="react-ts" files={initialFiles} options={options} style={column}>
        <Bridges latest={latest} earlyEdits={bundlerUrl !== null && options.recompileMode === 'immediate'} />
        <div style={{ ...column, position: 'relative' }}>
          <SandpackPreview showOpenInCodeSandbox={false} showNavigator={false} style={{ flex: '1 1 65%', minHeight: 0 }} />
          <SandpackConsole showHeader resetOnPreviewRestart={false} style={{ flex: '0 0 35%', minHeight: 0 }} />
          <SlowPreviewNotice afterSeconds={slowAfterSeconds} onRetry={() => setAttempt((n) => n + 1)} />
        </div>
      </SandpackProvider>
    );
  }, [latest, bundlerUrl, attempt, options, slowAfterSeconds]);
}
