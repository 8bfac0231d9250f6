import { useSandpack } from '@codesandbox/sandpack-react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { sameDiagnostic, toDiagnostic, type PreviewDiagnostic } from './diagnostics';

/** `src/App.tsx` → `/src/App.tsx`, the form Sandpack keys files by. */
export const toSandpackPath = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

interface ClientLike {
  status?: string;
  dispatch?: (message: { type: string; [key: string]: unknown }) => void;
  updateSandbox?: (setup: { files: unknown; template?: unknown }) => void;
}

/**
 * Sends only what changed in `files` to Sandpack (no provider remount); with `fastPath`
 * (Patchpad's own runtime), straight to the runtime first. A layout effect:
 * the update it makes renders synchronously and sandpack's own effect then dispatches the
 * compile in the same task, instead of one or two frames later. sandpack-react drops an
 * edit made while a compile is still running (client status not `done`); such an edit
 * is re-sent when that compile is done.
 */
export function useFileSync(files: Readonly<Record<string, string>>, fastPath = false): void {
  const { sandpack, listen } = useSandpack();
  const previous = useRef(files);
  const resend = useRef(false);
  const latest = useRef(sandpack);
  latest.current = sandpack;

  useLayoutEffect(() => {
    const before = previous.current;
    if (before === files) return;
    previous.current = files;
    const changed: Record<string, string> = {};
    for (const [path, code] of Object.entries(files)) if (before[path] !== code) changed[toSandpackPath(path)] = code;
    const deleted = Object.keys(before)
      .filter((path) => !(path in files))
      .map(toSandpackPath);
    const toSandpack = () => {
      const clients = Object.values(latest.current.clients) as ClientLike[];
      // No client yet (it is created asynchronously), or one mid-compile: sandpack may drop this.
      if (clients.length === 0 || clients.some((c) => c.status !== 'done')) resend.current = true;
      if (Object.keys(changed).length > 0) latest.current.updateFile(changed);
      for (const path of deleted) latest.current.deleteFile(path);
    };
    const clients = Object.values(latest.current.clients) as ClientLike[];
    if (!fastPath || clients.length === 0) return toSandpack();
    // Patchpad's runtime takes the changed files at once. Sandpack's own compile (it sends
    // every file, built in O(files²): ~6 ms at 150 files) follows in a later task, so that a
    // runtime sharing this process handles the edit first; it then finds nothing left to do.
    for (const client of clients) client.dispatch?.({ type: 'pp:files', files: changed, deleted });
    setTimeout(toSandpack, 0);
  }, [files, fastPath]);

  useEffect(
    () =>
      listen((message) => {
        if (message.type !== 'done' || !resend.current) return;
        resend.current = false;
        const { files: current, environment } = latest.current;
        for (const client of Object.values(latest.current.clients) as ClientLike[]) {
          client.updateSandbox?.({ files: current, template: environment });
        }
      }),
    [listen],
  );
}

/** Reports the preview's errors (cleared when a compile starts) to `onDiagnostics`. */
export function useDiagnostics(onDiagnostics: ((d: PreviewDiagnostic[]) => void) | undefined): void {
  const { listen } = useSandpack();
  const callback = useRef(onDiagnostics);
  callback.current = onDiagnostics;
  // Outlives re-subscriptions (`listen` is not stable across renders).
  const current = useRef<PreviewDiagnostic[]>([]);

  useEffect(
    () =>
      listen((message) => {
        if (message.type === 'start') {
          if (current.current.length > 0) callback.current?.((current.current = []));
        } else if (message.type === 'action' && message.action === 'show-error') {
          const diagnostic = toDiagnostic(message);
          if (current.current.some((d) => sameDiagnostic(d, diagnostic))) return;
          callback.current?.((current.current = [...current.current, diagnostic]));
        }
      }),
    [listen],
  );
}
