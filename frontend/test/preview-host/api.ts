import type { PreviewDiagnostic } from '../../src/preview/diagnostics';

/** The package service and a capability for it, as the IDE would hand them to PreviewPane. */
export interface HostPackages {
  url: string;
  token: string;
}

/**
 * What the preview host page (main.tsx) exposes as `window.__host` to Playwright: shared by
 * the browser tests and the preview benchmark.
 */
export interface HostApi {
  mount(files: Record<string, string>, bundlerUrl: string | null, recompileMode?: 'immediate' | 'delayed', packages?: HostPackages | null): void;
  setFiles(files: Record<string, string>): number;
  diagnostics: PreviewDiagnostic[];
  /** When mount() ran, on the shared clock. */
  mountedAt: number;
}

declare global {
  interface Window {
    __host: HostApi;
  }
}
