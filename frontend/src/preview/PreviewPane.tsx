import { SandpackConsole, SandpackPreview, SandpackProvider, type SandpackProviderProps } from '@codesandbox/sandpack-react';
import { useMemo, useRef, type CSSProperties } from 'react';
import type { PreviewDiagnostic } from './diagnostics';
import { toSandpackPath, useDiagnostics, useFileSync } from './hooks';

export type { PreviewDiagnostic } from './diagnostics';

export interface PreviewPaneProps {
  /** Project-relative paths without a leading slash (`src/App.tsx`, `package.json`). */
  files: Record<string, string>;
  /** Patchpad's preview runtime (its own origin); null = CodeSandbox's hosted bundler. */
  bundlerUrl: string | null;
  /** Syntax, module and runtime errors with path/line/column, for "Fix with AI". */
  onDiagnostics?: (diagnostics: PreviewDiagnostic[]) => void;
  /** Overrides the compile trigger chosen for the bundler (the benchmark measures both). */
  recompileMode?: 'immediate' | 'delayed';
}

type Options = NonNullable<SandpackProviderProps['options']>;

/**
 * Self-hosted: compile on every edit (`immediate`): the runtime re-transpiles only the
 * edited file and re-runs its importers, a few ms (see bench/preview). Hosted: Sandpack's
 * default debounce, since each compile there costs far more.
 */
export function previewOptions(bundlerUrl: string | null, recompileMode?: 'immediate' | 'delayed'): Options {
  const common: Options = { initMode: 'immediate', autorun: true };
  const options: Options = bundlerUrl
    ? { ...common, bundlerURL: bundlerUrl, recompileMode: 'immediate', bundlerTimeOut: 15_000 }
    : { ...common, recompileMode: 'delayed', recompileDelay: 300 };
  return recompileMode ? { ...options, recompileMode } : options;
}

const column: CSSProperties = { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 };

function Bridges({ files, onDiagnostics }: Pick<PreviewPaneProps, 'files' | 'onDiagnostics'>) {
  useFileSync(files);
  useDiagnostics(onDiagnostics);
  return null;
}

export function PreviewPane({ files, bundlerUrl, onDiagnostics, recompileMode }: PreviewPaneProps) {
  const latest = useRef(files);
  latest.current = files;
  // The provider keeps its own file state; later edits go through useFileSync.
  const initialFiles = useMemo(() => Object.fromEntries(Object.entries(latest.current).map(([path, code]) => [toSandpackPath(path), code])), [bundlerUrl]);
  const options = useMemo(() => previewOptions(bundlerUrl, recompileMode), [bundlerUrl, recompileMode]);
  return (
    <SandpackProvider key={bundlerUrl ?? 'hosted'} template="react-ts" files={initialFiles} options={options} style={column}>
      <Bridges files={files} onDiagnostics={onDiagnostics} />
      <div style={column}>
        <SandpackPreview showOpenInCodeSandbox={false} showNavigator={false} style={{ flex: '1 1 65%', minHeight: 0 }} />
        <SandpackConsole showHeader resetOnPreviewRestart={false} style={{ flex: '0 0 35%', minHeight: 0 }} />
      </div>
    </SandpackProvider>
  );
}
