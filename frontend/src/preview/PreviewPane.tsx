import { SandpackConsole, SandpackPreview, SandpackProvider, type SandpackProviderProps } from '@codesandbox/sandpack-react';
import { useMemo, useRef, useState, type CSSProperties } from 'react';
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

function Bridges({ files, onDiagnostics, packages }: Pick<PreviewPaneProps, 'files' | 'onDiagnostics' | 'packages'>) {
  useSecureChannelIds();
  useFileSync(files);
  useDiagnostics(onDiagnostics);
  usePackageAccess(packages);
  return null;
}

export function PreviewPane({ files, bundlerUrl, packages, onDiagnostics, recompileMode, slowAfterSeconds = 6 }: PreviewPaneProps) {
  const latest = useRef(files);
  latest.current = files;
  const [attempt, setAttempt] = useState(0);
  // The provider keeps its own file state; later edits go through useFileSync.
  const initialFiles = useMemo(
    () => Object.fromEntries(Object.entries(latest.current).map(([path, code]) => [toSandpackPath(path), code])),
    [bundlerUrl, attempt],
  );
  const options = useMemo(() => previewOptions(bundlerUrl, recompileMode), [bundlerUrl, recompileMode]);
  return (
    <SandpackProvider key={`${bundlerUrl ?? 'hosted'}#${attempt}`} template="react-ts" files={initialFiles} options={options} style={column}>
      <Bridges files={files} onDiagnostics={onDiagnostics} packages={packages} />
      <div style={{ ...column, position: 'relative' }}>
        <SandpackPreview showOpenInCodeSandbox={false} showNavigator={false} style={{ flex: '1 1 65%', minHeight: 0 }} />
        <SandpackConsole showHeader resetOnPreviewRestart={false} style={{ flex: '0 0 35%', minHeight: 0 }} />
        <SlowPreviewNotice afterSeconds={slowAfterSeconds} onRetry={() => setAttempt((n) => n + 1)} />
      </div>
    </SandpackProvider>
  );
}
