/**
 * What the preview reports as wrong, in project terms, for the error list and
 * "Fix with AI". Pure: built from sandpack's `show-error` action.
 */
export interface PreviewDiagnostic {
  kind: 'syntax' | 'module' | 'runtime';
  /** Project-relative path (`src/App.tsx`), or null when no user file is involved. */
  path: string | null;
  line: number | null;
  column: number | null;
  /** The error's name, e.g. `SyntaxError`, `TypeError`, `ModuleNotFoundError`. */
  title: string;
  /** One-paragraph reason, without the code excerpt the overlay shows. */
  message: string;
}

interface ShowError {
  title?: unknown;
  message?: unknown;
  path?: unknown;
  line?: unknown;
  column?: unknown;
  payload?: { frames?: Array<{ _originalFileName?: unknown; _originalLineNumber?: unknown; _originalColumnNumber?: unknown }> };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

export function toDiagnostic(raw: ShowError): PreviewDiagnostic {
  const frame = raw.payload?.frames?.find((f) => typeof f._originalFileName === 'string');
  const path = (typeof raw.path === 'string' && raw.path) || (typeof frame?._originalFileName === 'string' ? frame._originalFileName : '');
  const title = typeof raw.title === 'string' && raw.title ? raw.title : 'Error';
  let message = typeof raw.message === 'string' ? raw.message : String(raw.message ?? '');
  // A syntax error's message is "<path>: <reason> (line:col)" followed by a code excerpt.
  message = message.split('\n\n')[0] ?? message;
  if (path && message.startsWith(`${path}: `)) message = message.slice(path.length + 2).replace(/ \(\d+:\d+\)$/, '');
  return {
    kind: title === 'SyntaxError' ? 'syntax' : title === 'ModuleNotFoundError' ? 'module' : 'runtime',
    path: path ? path.replace(/^\/+/, '') : null,
    line: num(raw.line) ?? num(frame?._originalLineNumber),
    column: num(raw.column) ?? num(frame?._originalColumnNumber),
    title,
    message: message.trim(),
  };
}

export const sameDiagnostic = (a: PreviewDiagnostic, b: PreviewDiagnostic): boolean =>
  a.path === b.path && a.line === b.line && a.column === b.column && a.message === b.message && a.title === b.title;
