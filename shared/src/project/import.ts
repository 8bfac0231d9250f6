import { PROJECT_LIMITS, projectPathSchema } from '../schemas/project';

/**
 * Rules for bringing files in from outside (a zip on the server, a folder in the browser):
 * which entries are skipped and why, how paths are normalised, and the limits, each refusal
 * naming the file and the limit. Pure: callers read the bytes.
 */

export const IMPORT_LIMITS = {
  /** Size of an uploaded zip. */
  maxArchiveBytes: 16 * 1024 * 1024,
  /** Entries looked at in one archive or folder, skipped ones included (node_modules adds up). */
  maxEntries: 20_000,
} as const;

/** Folders and files a project never wants from an archive or a folder on disk. */
const IGNORED_SEGMENTS = new Set(['node_modules', '.git', '__MACOSX', '.DS_Store', 'Thumbs.db', '.svn', '.hg']);

export type SkippedEntry = { path: string; reason: string };

export class ImportError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export interface ImportPlan {
  /** Raw entry name → project path, for the entries to read. */
  keep: Map<string, string>;
  skipped: SkippedEntry[];
}

/** `./a\\b` → `a/b`: zips made on Windows use backslashes, some tools a leading `./` or `/`. */
function normalise(raw: string): string {
  return raw.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}

/** A folder entry, or an entry inside a folder that is never imported: not worth reading. */
export function isSkippedEntry(raw: string): boolean {
  const path = normalise(raw);
  return path === '' || path.endsWith('/') || path.split('/').some((s) => IGNORED_SEGMENTS.has(s));
}

/**
 * Decides which entries become files and under which path. Folder entries (ending in "/")
 * are dropped silently; ignored folders are reported once each. A single folder holding
 * everything (what zipping a folder produces) is stripped. A path the API would refuse stops
 * the whole import with an ImportError naming it.
 */
export function planImport(rawNames: readonly string[]): ImportPlan {
  if (rawNames.length > IMPORT_LIMITS.maxEntries)
    throw new ImportError(`The archive or folder has ${rawNames.length} entries; at most ${IMPORT_LIMITS.maxEntries} are read`);
  const skipped: SkippedEntry[] = [];
  const reported = new Set<string>();
  const candidates: [string, string][] = [];
  for (const raw of rawNames) {
    const path = normalise(raw);
    if (path === '' || path.endsWith('/')) continue;
    const segments = path.split('/');
    const ignoredAt = segments.findIndex((s) => IGNORED_SEGMENTS.has(s));
    if (ignoredAt !== -1) {
      const folder = segments.slice(0, ignoredAt + 1).join('/');
      if (!reported.has(folder)) skipped.push({ path: folder, reason: `${segments[ignoredAt]} is never imported` });
      reported.add(folder);
      continue;
    }
    candidates.push([raw, path]);
  }
  const root = commonFolder(candidates.map(([, p]) => p));
  const keep = new Map<string, string>();
  for (const [raw, full] of candidates) {
    const path = full.slice(root.length);
    const checked = projectPathSchema.safeParse(path);
    if (!checked.success) throw new ImportError(`"${full}" cannot be a project path: ${checked.error.issues[0]?.message ?? 'invalid'}`, full);
    if (keep.size >= PROJECT_LIMITS.maxFiles) {
      throw new ImportError(`Too many files: a project may hold at most ${PROJECT_LIMITS.maxFiles} (node_modules and .git are skipped already)`);
    }
    keep.set(raw, path);
  }
  return { keep, skipped };
}

/** "app/" when every path starts with it (and at least one file is below it), else "". */
function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  const first = paths[0]!.split('/')[0]!;
  const root = `${first}/`;
  return paths.every((p) => p.startsWith(root) && p.length > root.length) ? root : '';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The file as text, or null when it is binary (not UTF-8, or has NUL bytes): projects hold text. */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.subarray(0, 8192).includes(0)) return null;
  try {
    // A BOM would become part of the first line; editors keep it invisible, so drop it.
    return decoder.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();

/** The project limits, checked with messages that name the file or the total. */
export function checkImportedFiles(files: Readonly<Record<string, string>>): void {
  const entries = Object.entries(files);
  if (entries.length === 0) throw new ImportError('Nothing to import: no text files were found (binary files, node_modules and .git are skipped)');
  let total = 0;
  for (const [path, content] of entries) {
    const bytes = encoder.encode(content).length;
    if (content.length > PROJECT_LIMITS.maxFileBytes) {
      throw new ImportError(`"${path}" is ${bytes} bytes; a file may hold at most ${PROJECT_LIMITS.maxFileBytes} characters`, path);
    }
    total += bytes;
  }
  if (total > PROJECT_LIMITS.maxTotalBytes)
    throw new ImportError(`The files add up to ${total} bytes; a project may hold at most ${PROJECT_LIMITS.maxTotalBytes} bytes`);
}
