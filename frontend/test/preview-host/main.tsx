import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { PreviewPane, type PreviewPackages } from '../../src/preview/PreviewPane';
import type {} from './api';

/**
 * A stand-in for the IDE in browser tests and the benchmark: the real PreviewPane (real
 * SandpackProvider/SandpackPreview/SandpackConsole) on the "IDE" origin, driven through
 * `window.__host` by Playwright.
 */

let update: ((files: Record<string, string>) => void) | null = null;

interface HostProps {
  initial: Record<string, string>;
  bundlerUrl: string | null;
  recompileMode: 'immediate' | 'delayed' | undefined;
  packages: PreviewPackages | null;
}

function Host({ initial, bundlerUrl, recompileMode, packages }: HostProps) {
  const [files, setFiles] = useState(initial);
  update = setFiles;
  return (
    <div style={{ height: '100vh' }}>
      <PreviewPane
        files={files}
        bundlerUrl={bundlerUrl}
        recompileMode={recompileMode}
        packages={packages}
        slowAfterSeconds={3}
        onDiagnostics={(d) => (window.__host.diagnostics = d)}
      />
    </div>
  );
}

window.__host = {
  diagnostics: [],
  mountedAt: 0,
  mount(files, bundlerUrl, recompileMode, packages) {
    window.__host.mountedAt = performance.timeOrigin + performance.now();
    const el = document.getElementById('app') as HTMLElement;
    const access: PreviewPackages | null = packages ? { url: packages.url, capability: () => Promise.resolve(packages.token) } : null;
    createRoot(el).render(<Host initial={files} bundlerUrl={bundlerUrl} recompileMode={recompileMode} packages={access} />);
  },
  /** Returns the time of the edit on the shared clock (timeOrigin + now), for latency. */
  setFiles(files) {
    const at = performance.timeOrigin + performance.now();
    update?.(files);
    return at;
  },
};
