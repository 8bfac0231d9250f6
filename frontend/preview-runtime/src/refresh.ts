/**
 * React Fast Refresh without a compiler plugin. react-refresh's runtime needs three things
 * that a Babel/SWC plugin normally inserts, which sucrase cannot: every component
 * registered under an id that survives edits, a signature of each component's hooks (so
 * that a changed hook list remounts instead of reusing state it cannot fit), and a call
 * to `performReactRefresh` after the edited modules ran. The module registry does the
 * first (ids are `<path> <name>`), `hookSignature` derives the second from the
 * component's own source text, and the compiler does the third.
 */

/** The parts of `react-refresh/runtime` (its development build) the preview uses. */
export interface RefreshRuntime {
  injectIntoGlobalHook(globalObject: object): void;
  register(type: unknown, id: string): void;
  setSignature(type: unknown, key: string, forceReset?: boolean, getCustomHooks?: () => unknown[]): void;
  isLikelyComponentType(type: unknown): boolean;
  performReactRefresh(): unknown;
}

export const REFRESH_SPECIFIER = 'react-refresh/runtime';

/** `use` + a capital, called: `useState(`, `(0, _react.useState)(`, and sucrase's `_react.useState.call(void 0, `. */
const HOOK_CALL = /\b(use[A-Z0-9][\w$]*)(\)|\.call)?\s*\(/g;
/** Hooks whose argument is part of the signature, as react-refresh's Babel plugin does. */
const KEYED_ARGUMENT: Record<string, number> = { useState: 0, useReducer: 1 };

/**
 * The hooks a component calls, in order, with the initial-state argument of useState /
 * useReducer: two versions with the same signature may share state, otherwise React
 * remounts the component. Empty when it calls no hooks (then no signature is set, like Babel).
 */
export function hookSignature(source: string): string {
  const parts: string[] = [];
  for (const match of source.matchAll(HOOK_CALL)) {
    const name = match[1] as string;
    const keyed = KEYED_ARGUMENT[name];
    const start = (match.index ?? 0) + match[0].length;
    // `.call(thisArg, …)` shifts the arguments by one.
    const index = keyed === undefined ? 0 : keyed + (match[2] === '.call' ? 1 : 0);
    parts.push(keyed === undefined ? name : `${name}(${argumentAt(source, start, index)})`);
  }
  return parts.join('\n');
}

/** The text of argument `index` of a call whose argument list starts at `start` (bounded scan). */
function argumentAt(source: string, start: number, index: number): string {
  let depth = 0;
  let current = 0;
  let from = start;
  const end = Math.min(source.length, start + 2000);
  for (let i = start; i < end; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) return current === index ? source.slice(from, i).trim() : '';
      depth--;
    } else if (ch === ',' && depth === 0) {
      if (current === index) return source.slice(from, i).trim();
      current++;
      from = i + 1;
    }
  }
  return '';
}

const TOP_LEVEL_COMPONENT = /^(?:export\s+(?:default\s+)?)?(?:(?:async\s+)?function\s*\*?\s*|class\s+|(?:const|let|var)\s+)([A-Z][\w$]*)/gm;

/**
 * Names declared at the top level of a module's source (column 0, as formatted code has
 * them) that may be components. Babel's plugin registers these too, so a component that is not
 * exported keeps its state when its module changes.
 */
export function topLevelComponentNames(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(TOP_LEVEL_COMPONENT)) names.add(match[1] as string);
  return [...names];
}

/** Code appended to a module's CommonJS body: registers each top-level component by name. */
export function registrationCode(names: readonly string[]): string {
  return names.map((name) => `\ntry { __pp$register(typeof ${name} === 'undefined' ? undefined : ${name}, ${JSON.stringify(name)}); } catch (e) {}`).join('');
}

/** The module exports only components (and at least one): React can swap it in place. */
export function exportsOnlyComponents(exports: unknown, isComponent: (value: unknown) => boolean): boolean {
  if (typeof exports !== 'object' || exports === null) return typeof exports === 'function' && isComponent(exports);
  let count = 0;
  for (const key of Object.keys(exports)) {
    if (key === '__esModule') continue;
    let value: unknown;
    try {
      value = (exports as Record<string, unknown>)[key];
    } catch {
      return false;
    }
    if (!isComponent(value)) return false;
    count++;
  }
  return count > 0;
}

/** Registers components with react-refresh; a no-op until `install` (and in the baseline mode). */
export class RefreshHost {
  private runtime: RefreshRuntime | null = null;

  get active(): boolean {
    return this.runtime !== null;
  }

  /** Must run before react-dom is evaluated: react-dom finds the hook when it loads. */
  install(runtime: RefreshRuntime, globalObject: object): void {
    if (this.runtime) return;
    runtime.injectIntoGlobalHook(globalObject);
    this.runtime = runtime;
  }

  isComponent = (value: unknown): boolean => this.runtime?.isLikelyComponentType(value) ?? false;

  /** Registers `value` as `<path> <name>` with its hook signature, when it looks like a component. */
  register(path: string, name: string, value: unknown): void {
    const runtime = this.runtime;
    if (!runtime || !runtime.isLikelyComponentType(value)) return;
    runtime.register(value, `${path} ${name}`);
    const fn = renderFunctionOf(value);
    if (!fn) return;
    const key = hookSignature(Function.prototype.toString.call(fn));
    if (key) runtime.setSignature(value, key);
  }

  /** Registers every export of a module that looks like a component (after its own top-level names). */
  registerExports(path: string, exports: unknown): void {
    if (!this.runtime) return;
    if (typeof exports === 'function') return this.register(path, '%module.exports%', exports);
    if (typeof exports !== 'object' || exports === null) return;
    for (const key of Object.keys(exports)) {
      if (key === '__esModule') continue;
      try {
        this.register(path, `%exports% ${key}`, (exports as Record<string, unknown>)[key]);
      } catch {
        // A getter that throws: not a component.
      }
    }
  }

  /** Re-renders the components whose modules ran again; state is kept where signatures match. */
  perform(): void {
    this.runtime?.performReactRefresh();
  }
}

/** The function whose source holds the hooks: the component itself, or memo/forwardRef's inner one. */
function renderFunctionOf(value: unknown): ((...args: unknown[]) => unknown) | null {
  if (typeof value === 'function') return value as (...args: unknown[]) => unknown;
  if (typeof value !== 'object' || value === null) return null;
  const inner = (value as { render?: unknown; type?: unknown }).render ?? (value as { type?: unknown }).type;
  return renderFunctionOf(inner);
}
