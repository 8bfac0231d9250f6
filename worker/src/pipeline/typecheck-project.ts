import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { LocatedError } from './typecheck-diff';
import { projectConfig } from './typecheck-config';

/**
 * One project's warm TypeScript language service over in-memory files. The project's files
 * live under a virtual folder inside this repository, so that a bare import (`react`) resolves
 * the way it would for the project: up the folders to the repository's node_modules, where
 * the compiler's own lib files and @types/react are read from disk. Nothing is written.
 *
 * Lenient by design: a package the project imports but this machine does not have installed
 * (and assets such as `./App.css`) is not an error here, since the project cannot install
 * packages in the check; see IGNORED_CODES.
 */

const requireHere = createRequire(import.meta.url);
/** The folder whose node_modules holds typescript (and, in this repository, @types/react). */
export const MODULES_ROOT = dirname(dirname(dirname(requireHere.resolve('typescript/package.json'))));

const CHECKED = /\.(tsx?|mts|cts)$/;
const DECLARATION = /\.d\.[mc]?ts$/;
const ASSET = /\.(css|scss|sass|less|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|md|txt|html)(\?.*)?$/;

/**
 * Not counted: cannot find module or its types (2307, 2792, 7016) for packages and assets,
 * JSX runtime and element types that only exist when react's types are installed (2875,
 * 7026), and type libraries named in tsconfig that this machine does not have (2688).
 */
const IGNORED_CODES = new Set([2307, 2792, 7016, 2875, 7026, 2688]);

/** When @types/react is not installed: JSX and react imports type as `any` instead of failing. */
const REACT_FALLBACK = `declare namespace JSX { interface IntrinsicElements { [name: string]: any } interface Element {} }
declare module 'react/jsx-runtime' { export const jsx: any; export const jsxs: any; export const Fragment: any; }
`;

/**
 * Library files (the compiler's lib.*.d.ts, @types) are parsed once per process and shared
 * by every project; they are never released, as their set is bounded. A project's own files
 * live in its own registry and go with it when the project is evicted: no release is needed,
 * which sidesteps releasing documents across changed settings (it threw in TypeScript 5.9).
 */
const shared = ts.createDocumentRegistry();

function projectRegistry(root: string): ts.DocumentRegistry {
  const own = ts.createDocumentRegistry();
  const pick = (path: string) => (path.startsWith(`${root}/`) ? own : shared);
  return {
    acquireDocument: (f, s, snap, v, kind, opts) => pick(f).acquireDocument(f, s, snap, v, kind, opts),
    acquireDocumentWithKey: (f, p, s, key, snap, v, kind, opts) => pick(f).acquireDocumentWithKey(f, p, s, key, snap, v, kind, opts),
    updateDocument: (f, s, snap, v, kind, opts) => pick(f).updateDocument(f, s, snap, v, kind, opts),
    updateDocumentWithKey: (f, p, s, key, snap, v, kind, opts) => pick(f).updateDocumentWithKey(f, p, s, key, snap, v, kind, opts),
    getKeyForCompilationSettings: (s) => own.getKeyForCompilationSettings(s),
    releaseDocument: () => undefined,
    releaseDocumentWithKey: () => undefined,
    reportStats: () => own.reportStats(),
  } as ts.DocumentRegistry;
}
const reactTypesInstalled = existsSync(join(MODULES_ROOT, 'node_modules', '@types', 'react', 'index.d.ts'));

const LIB_DIR = dirname(ts.getDefaultLibFilePath({}));
const NODE_MODULES = join(MODULES_ROOT, 'node_modules');

/**
 * The only files read from disk: the compiler's lib folder and this repository's
 * node_modules. A project's `import '../../../../etc/x.json'` or tsconfig `typeRoots` must not
 * make the worker read (and echo in an error message) files from elsewhere on its disk.
 */
function onDisk(path: string): boolean {
  return path.startsWith(`${NODE_MODULES}/`) || path.startsWith(`${LIB_DIR}/`);
}

interface Entry {
  text: string;
  version: string;
}

export class CheckTimeout extends Error {}

export class ProjectService {
  readonly root: string;
  private readonly files = new Map<string, Entry>(); // absolute path → entry
  private options: ts.CompilerOptions = {};
  private deadline = Infinity;
  private readonly service: ts.LanguageService;

  constructor(key: string) {
    this.root = join(MODULES_ROOT, '.patchpad-typecheck', createHash('sha256').update(key).digest('hex').slice(0, 16));
    this.service = ts.createLanguageService(this.host(), projectRegistry(this.root));
  }

  private host(): ts.LanguageServiceHost {
    const read = (p: string) => this.files.get(p)?.text ?? (onDisk(p) ? ts.sys.readFile(p) : undefined);
    return {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [...this.files.keys()].filter((p) => CHECKED.test(p)),
      getScriptVersion: (p) => this.files.get(p)?.version ?? '0',
      getScriptSnapshot: (p) => {
        const text = read(p);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => this.root,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (p) => this.files.has(p) || (onDisk(p) && ts.sys.fileExists(p)),
      readFile: read,
      directoryExists: (d) => this.isVirtual(d) || (onDisk(`${d}/`) && ts.sys.directoryExists(d)),
      getDirectories: (d) => (onDisk(`${d}/`) ? ts.sys.getDirectories(d) : []),
      useCaseSensitiveFileNames: () => true,
      getCancellationToken: () => ({ isCancellationRequested: () => Date.now() > this.deadline, throwIfCancellationRequested: () => undefined }),
    };
  }

  private isVirtual(p: string): boolean {
    return p === this.root || p.startsWith(`${this.root}/`);
  }

  abs(path: string): string {
    return `${this.root}/${path}`;
  }

  /** Makes the service see exactly `files` (project paths → text); unchanged files stay parsed. */
  update(files: Readonly<Record<string, string | null>>): void {
    const next = new Map<string, Entry>();
    for (const [path, text] of Object.entries(files)) {
      if (text === null) continue;
      const abs = this.abs(path);
      const prev = this.files.get(abs);
      next.set(abs, prev && prev.text === text ? prev : { text, version: createHash('sha1').update(text).digest('hex') });
    }
    if (!reactTypesInstalled) next.set(this.abs('__patchpad_react_fallback.d.ts'), { text: REACT_FALLBACK, version: '1' });
    this.files.clear();
    for (const [k, v] of next) this.files.set(k, v);
    this.options = projectConfig(files, this.root).options;
  }

  /** Errors of the given project files (syntax and types), or CheckTimeout past the deadline. */
  errors(paths: readonly string[], deadline: number): LocatedError[] {
    this.deadline = deadline;
    const out: LocatedError[] = [];
    try {
      for (const path of paths) {
        const abs = this.abs(path);
        if (!CHECKED.test(path) || DECLARATION.test(path) || !this.files.has(abs)) continue;
        const diags = [...this.service.getSyntacticDiagnostics(abs), ...this.service.getSemanticDiagnostics(abs)];
        for (const d of diags) if (counts(d)) out.push(located(path, d));
      }
    } catch (err) {
      if (err instanceof ts.OperationCanceledException) throw new CheckTimeout('type-check timed out');
      throw err;
    } finally {
      this.deadline = Infinity;
    }
    return out;
  }

  /** Drops the project: its documents live in its own registry, so nothing needs releasing. */
  dispose(): void {
    this.files.clear();
  }
}

function counts(d: ts.Diagnostic): boolean {
  if (d.category !== ts.DiagnosticCategory.Error) return false;
  if (!IGNORED_CODES.has(d.code)) return true;
  // A relative import of a TypeScript file that does not exist is the patch's doing: it counts.
  const spec = d.file && d.start !== undefined ? /['"]([^'"]+)['"]/.exec(d.file.text.slice(d.start, d.start + (d.length ?? 0)))?.[1] : undefined;
  return d.code === 2307 && spec !== undefined && spec.startsWith('.') && !ASSET.test(spec);
}

function located(path: string, d: ts.Diagnostic): LocatedError {
  const file = d.file!;
  const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
  const lineStart = file.getPositionOfLineAndCharacter(line, 0);
  const lineEnd = file.text.indexOf('\n', lineStart);
  return {
    path,
    line: line + 1,
    column: character + 1,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    lineText: file.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim(),
  };
}

/** Reads a project file's imports (for finding the files a change can break). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, false).importedFiles.map((f) => f.fileName);
}
