import type { ErrorFrame, ShowErrorMessage } from './protocol';
import { TranspileError } from './transpile';

/**
 * Turns what went wrong into sandpack's `show-error` action: file, line and column of the
 * first frame in the user's code, with a code excerpt. Pure.
 */

/** User modules are evaluated with this sourceURL prefix, so stacks name the file. */
export const MODULE_URL_PREFIX = 'pp-module://';
export const moduleUrl = (path: string): string => `${MODULE_URL_PREFIX}${path}`;

/** An error located at a place in the user's code (a failed import, for instance). */
export class LocatedError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly path: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export interface StackFrame {
  functionName: string | null;
  file: string;
  line: number;
  column: number;
}

const CHROME_FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
const FIREFOX_FRAME = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

export function parseStack(stack: string | undefined): StackFrame[] {
  if (!stack) return [];
  const frames: StackFrame[] = [];
  for (const raw of stack.split('\n')) {
    const m = CHROME_FRAME.exec(raw) ?? FIREFOX_FRAME.exec(raw);
    if (!m || m[2] === undefined) continue;
    frames.push({ functionName: m[1] || null, file: m[2], line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

/** The project path of a frame in a user module, or null. */
export function userPathOf(file: string): string | null {
  return file.startsWith(MODULE_URL_PREFIX) ? file.slice(MODULE_URL_PREFIX.length) : null;
}

export function codeExcerpt(source: string | undefined, line: number, context = 2): ErrorFrame['_originalScriptCode'] {
  if (source === undefined) return [];
  const lines = source.split('\n');
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, line + context);
  const out: ErrorFrame['_originalScriptCode'] = [];
  for (let n = from; n <= to; n++) out.push({ lineNumber: n, content: lines[n - 1] ?? '', highlight: n === line });
  return out;
}

function excerptText(source: string | undefined, line: number, column: number): string {
  const excerpt = codeExcerpt(source, line);
  if (excerpt.length === 0) return '';
  const width = String(excerpt[excerpt.length - 1]?.lineNumber ?? line).length;
  return excerpt
    .map(({ lineNumber, content, highlight }) => {
      const gutter = `${highlight ? '>' : ' '} ${String(lineNumber).padStart(width)} | `;
      const caret = highlight ? `\n${' '.repeat(width + 3)}| ${' '.repeat(Math.max(0, column - 1))}^` : '';
      return `${gutter}${content}${caret}`;
    })
    .join('\n');
}

function frameAt(path: string, line: number, column: number, fn: string | null, source: string | undefined): ErrorFrame {
  return {
    fileName: path,
    lineNumber: line,
    columnNumber: column,
    functionName: fn,
    _originalFileName: path,
    _originalLineNumber: line,
    _originalColumnNumber: column,
    _originalFunctionName: fn,
    _originalScriptCode: codeExcerpt(source, line),
  };
}

/** Builds the overlay message for any thrown value; `sourceOf` gives a user file's text. */
export function toShowError(error: unknown, sourceOf: (path: string) => string | undefined): ShowErrorMessage {
  if (error instanceof TranspileError) {
    const excerpt = excerptText(sourceOf(error.path), error.line, error.column);
    return {
      type: 'action',
      action: 'show-error',
      title: 'SyntaxError',
      message: excerpt ? `${error.message}\n\n${excerpt}` : error.message,
      path: error.path,
      line: error.line,
      column: error.column,
      payload: { frames: [] },
    };
  }
  const err = error instanceof Error ? error : new Error(describe(error));
  const frames: ErrorFrame[] = [];
  if (err instanceof LocatedError) frames.push(frameAt(err.path, err.line, err.column, null, sourceOf(err.path)));
  for (const frame of parseStack(err.stack)) {
    const path = userPathOf(frame.file);
    if (path !== null) frames.push(frameAt(path, frame.line, frame.column, frame.functionName, sourceOf(path)));
  }
  const first = frames[0];
  return {
    type: 'action',
    action: 'show-error',
    title: err.name || 'Error',
    message: err.message || describe(error),
    path: first?._originalFileName ?? '',
    line: first?._originalLineNumber ?? 0,
    column: first?._originalColumnNumber ?? 0,
    payload: { frames },
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return `Uncaught ${JSON.stringify(value) ?? String(value)}`;
  } catch {
    return `Uncaught ${String(value)}`;
  }
}
