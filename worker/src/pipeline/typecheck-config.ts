import ts from 'typescript';

/**
 * Compiler options for a project's type-check: its tsconfig.json when it has one (following
 * a Vite-style root that only lists `references`, and `extends` of a file in the project),
 * else a React + TypeScript default. Options that would make the compiler write or track
 * anything are dropped: the check only reads.
 */

export const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  isolatedModules: true,
  allowImportingTsExtensions: true,
};

/** Never taken from a project: the check writes nothing and must not skip or slow down. */
const FORCED: ts.CompilerOptions = {
  noEmit: true,
  skipLibCheck: true,
  composite: false,
  incremental: false,
  declaration: false,
  declarationMap: false,
  emitDeclarationOnly: false,
  sourceMap: false,
};

const DROPPED = ['tsBuildInfoFile', 'outDir', 'outFile', 'rootDir', 'rootDirs', 'baseUrl', 'paths', 'declarationDir', 'plugins', 'typeRoots'] as const;

type Files = Readonly<Record<string, string | null>>;

function readJson(files: Files, path: string): Record<string, unknown> | null {
  const text = files[path];
  if (typeof text !== 'string') return null;
  const parsed = ts.parseConfigFileTextToJson(path, text);
  return parsed.error || typeof parsed.config !== 'object' || parsed.config === null ? null : (parsed.config as Record<string, unknown>);
}

function join(dir: string, rel: string): string {
  const parts = dir === '' ? [] : dir.split('/');
  for (const p of rel.replace(/^\.\//, '').split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** compilerOptions of a config, merged over those of a project file it extends (one level per file, no cycles). */
function compilerOptionsOf(files: Files, path: string, seen = new Set<string>()): Record<string, unknown> {
  const json = readJson(files, path);
  if (!json || seen.has(path)) return {};
  seen.add(path);
  const own = (json.compilerOptions as Record<string, unknown> | undefined) ?? {};
  const ext = typeof json.extends === 'string' && json.extends.startsWith('.') ? json.extends : null;
  if (ext === null) return own;
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const target = join(dir, ext.endsWith('.json') ? ext : `${ext}.json`);
  return { ...compilerOptionsOf(files, target, seen), ...own };
}

/** The config to read: tsconfig.json, or the app config it references (Vite's layout). */
function configPath(files: Files): string | null {
  const root = readJson(files, 'tsconfig.json');
  if (!root) return null;
  const refs = Array.isArray(root.references) ? (root.references as Array<{ path?: unknown }>) : [];
  const hasOwn = root.compilerOptions !== undefined || (Array.isArray(root.files) ? root.files.length > 0 : true);
  if (hasOwn || refs.length === 0) return 'tsconfig.json';
  const paths = refs.flatMap((r) => (typeof r.path === 'string' ? [join('', r.path.endsWith('.json') ? r.path : `${r.path}/tsconfig.json`)] : []));
  return paths.find((p) => !/node/.test(p) && readJson(files, p)) ?? paths.find((p) => readJson(files, p)) ?? 'tsconfig.json';
}

export interface ProjectConfig {
  options: ts.CompilerOptions;
  /** Where the options came from, for logs: a path, or 'default'. */
  source: string;
}

export function projectConfig(files: Files, root: string): ProjectConfig {
  const path = configPath(files);
  if (path === null) return { options: { ...DEFAULT_OPTIONS, ...FORCED }, source: 'default' };
  const { options } = ts.convertCompilerOptionsFromJson(compilerOptionsOf(files, path), root, path);
  const merged: ts.CompilerOptions = { ...options, ...FORCED };
  for (const k of DROPPED) delete merged[k];
  // Type packages by name only (`vite/client`), never a path on the worker's disk.
  if (merged.types) merged.types = merged.types.filter((t) => !t.startsWith('.') && !t.startsWith('/') && !t.includes('..'));
  return { options: merged, source: path };
}
