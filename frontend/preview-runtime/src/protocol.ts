/**
 * The bundler protocol spoken with `@codesandbox/sandpack-client`'s runtime client
 * (clients/runtime), as a union on `type` in each direction. Incoming messages are
 * validated by hand here (the runtime stays small: no zod in the frame) and anything
 * unexpected is dropped, never half-trusted.
 */

export interface CompileModule {
  code: string;
  path: string;
}

export type ParentMessage =
  | { type: 'register-frame'; origin: string; id: number | string }
  | {
      type: 'compile';
      modules: Record<string, CompileModule>;
      template: string | null;
      externalResources: string[];
      showErrorScreen: boolean;
      isInitializationCompile: boolean;
      /** The client options are spread into the compile message; the runtime reads its query. */
      bundlerURL: string | null;
    }
  /**
   * Patchpad's IDE: the files an edit changed, posted before Sandpack builds its own
   * compile message (which costs the IDE O(files²)); applied at once, without start/done.
   */
  | { type: 'pp:files'; files: Record<string, string>; deleted: string[] }
  /** Patchpad's IDE: where the package service is and a capability for it (url null: none). */
  | { type: 'pp:packages-access'; url: string | null; token: string | null }
  | { type: 'refresh' }
  | { type: 'urlback' }
  | { type: 'urlforward' }
  | { type: 'get-modules' }
  | { type: 'get-transpiler-context' };

export type ClientStatus = 'initializing' | 'installing-dependencies' | 'transpiling' | 'evaluating' | 'running-tests' | 'idle' | 'done';

export interface ErrorFrame {
  fileName: string;
  lineNumber: number;
  columnNumber: number;
  functionName: string | null;
  _originalFileName: string;
  _originalLineNumber: number;
  _originalColumnNumber: number;
  _originalFunctionName: string | null;
  _originalScriptCode: Array<{ lineNumber: number; content: string; highlight: boolean }>;
}

export interface ShowErrorMessage {
  type: 'action';
  action: 'show-error';
  title: string;
  message: string;
  path: string;
  line: number;
  column: number;
  payload: { frames: ErrorFrame[] };
}

export type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'table' | 'clear' | 'time' | 'timeEnd' | 'count' | 'assert';

export interface ConsoleEntry {
  method: ConsoleMethod;
  id: string;
  data: unknown[];
}

/** Everything the runtime sends; the channel adds `codesandbox: true` and `$id`. */
export type RuntimeMessage =
  | { type: 'initialized' }
  | { type: 'start'; firstLoad: boolean }
  | { type: 'status'; status: ClientStatus }
  | { type: 'done'; compilatonError: boolean }
  | ShowErrorMessage
  | { type: 'console'; log: ConsoleEntry[] }
  | { type: 'urlchange'; url: string; back: boolean; forward: boolean }
  | { type: 'resize'; height: number }
  | { type: 'success' }
  /** Asks Patchpad's IDE for `pp:packages-access`. */
  | { type: 'pp:packages-access-request' }
  /** What a slow compile is doing, for the IDE's waiting message. */
  | { type: 'pp:progress'; text: string }
  | { type: 'all-modules'; data: Array<{ path: string; code: string }> }
  | { type: 'transpiler-context'; data: Record<string, Record<string, unknown>> };

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseModules(raw: unknown): Record<string, CompileModule> | null {
  if (!isRecord(raw)) return null;
  const out: Record<string, CompileModule> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isRecord(value) || typeof value.code !== 'string') return null;
    const path = key.startsWith('/') ? key : `/${key}`;
    out[path] = { code: value.code, path };
  }
  return out;
}

/** Returns the typed message, or null for anything that is not a well-formed parent message. */
export function parseParentMessage(data: unknown): ParentMessage | null {
  if (!isRecord(data) || typeof data.type !== 'string') return null;
  switch (data.type) {
    case 'register-frame': {
      const { origin, id } = data;
      if (typeof origin !== 'string' || !isOrigin(origin)) return null;
      if (typeof id !== 'number' && typeof id !== 'string') return null;
      return { type: 'register-frame', origin, id };
    }
    case 'compile': {
      const modules = parseModules(data.modules);
      if (!modules) return null;
      const external = Array.isArray(data.externalResources) ? data.externalResources.filter((r): r is string => typeof r === 'string') : [];
      return {
        type: 'compile',
        modules,
        template: typeof data.template === 'string' ? data.template : null,
        externalResources: external,
        showErrorScreen: data.showErrorScreen !== false,
        isInitializationCompile: data.isInitializationCompile === true,
        bundlerURL: typeof data.bundlerURL === 'string' ? data.bundlerURL : null,
      };
    }
    case 'pp:files': {
      if (!isRecord(data.files) || !Array.isArray(data.deleted)) return null;
      const files: Record<string, string> = {};
      for (const [key, code] of Object.entries(data.files)) {
        if (typeof code !== 'string') return null;
        files[key.startsWith('/') ? key : `/${key}`] = code;
      }
      const deleted = data.deleted.filter((d): d is string => typeof d === 'string').map((d) => (d.startsWith('/') ? d : `/${d}`));
      return { type: 'pp:files', files, deleted };
    }
    case 'pp:packages-access': {
      const { url, token } = data;
      if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url))) return null;
      if (token !== null && typeof token !== 'string') return null;
      return { type: 'pp:packages-access', url: url === null ? null : url.replace(/\/+$/, ''), token };
    }
    case 'refresh':
    case 'urlback':
    case 'urlforward':
    case 'get-modules':
    case 'get-transpiler-context':
      return { type: data.type };
    default:
      return null;
  }
}

/** `scheme://host[:port]` and nothing else: the form `location.origin` has. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}
