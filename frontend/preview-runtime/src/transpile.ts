import { transform, type Transform } from 'sucrase';

/**
 * Source → CommonJS with sucrase: TS/TSX/JSX/JS in ~1–10 ms a file. Sucrase keeps every
 * line where it was, so a line in an error's stack is the line in the user's file.
 */

export type ModuleKind = 'script' | 'json' | 'style' | 'asset';

export interface Transpiled {
  kind: ModuleKind;
  /** CommonJS body for scripts; the raw text for the other kinds. */
  code: string;
  /** Specifiers passed to `require(...)`, in order, without duplicates. */
  requires: string[];
}

export class TranspileError extends Error {
  override readonly name = 'SyntaxError';
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${path}: ${reason} (${line}:${column})`);
  }
}

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

export function kindOf(path: string): ModuleKind {
  const ext = extensionOf(path);
  if (ext === '.json') return 'json';
  if (ext === '.css') return 'style';
  if (['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'].includes(ext)) return 'script';
  return 'asset';
}

function transformsFor(ext: string): Transform[] {
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return ['typescript', 'imports'];
  if (ext === '.tsx') return ['typescript', 'jsx', 'imports'];
  return ['jsx', 'imports'];
}

const REQUIRE_CALL = /\brequire\(\s*(['"])((?:(?!\1)[^\\\n]|\\.)+)\1\s*\)/g;

/** The specifiers a CommonJS body requires (string literals only). */
export function findRequires(code: string): string[] {
  const seen = new Set<string>();
  for (const match of code.matchAll(REQUIRE_CALL)) {
    if (match[2] !== undefined) seen.add(match[2]);
  }
  return [...seen];
}

export function transpile(path: string, source: string): Transpiled {
  const kind = kindOf(path);
  if (kind !== 'script') return { kind, code: source, requires: [] };
  try {
    const { code } = transform(source, {
      transforms: transformsFor(extensionOf(path)),
      jsxRuntime: 'automatic',
      production: false,
      filePath: path,
    });
    return { kind, code, requires: findRequires(code) };
  } catch (error) {
    throw toTranspileError(path, error);
  }
}

function toTranspileError(path: string, error: unknown): TranspileError {
  const err = error as { message?: unknown; loc?: { line?: unknown; column?: unknown } };
  const message = typeof err.message === 'string' ? err.message : String(error);
  // Sucrase: "Error transforming /src/App.tsx: Unexpected token (3:7)", loc 1-based.
  const reason = message.replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
  const line = typeof err.loc?.line === 'number' ? err.loc.line : 1;
  const column = typeof err.loc?.column === 'number' ? err.loc.column : 1;
  return new TranspileError(path, reason, line, column);
}
