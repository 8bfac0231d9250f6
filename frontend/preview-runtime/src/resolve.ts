/**
 * Module resolution over the project's files (absolute POSIX paths like `/src/App.tsx`).
 * Pure: the caller passes a predicate telling which paths exist.
 */

export const SOURCE_EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js', '.mjs', '.cjs', '.json'] as const;

export type Resolution = { kind: 'file'; path: string } | { kind: 'package'; name: string; specifier: string } | { kind: 'missing'; tried: string[] };

/** Joins and normalises `base`'s directory with a relative path; never climbs above `/`. */
export function joinPath(fromFile: string, relative: string): string {
  const parts = relative.startsWith('/') ? [] : fromFile.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 1) parts.pop();
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; null for non-bare specifiers. */
export function packageNameOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier === '') return null;
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 && parts[1] ? `${parts[0]}/${parts[1]}` : null;
  return parts[0] ?? null;
}

/** The candidate paths for a file path without (or with) an extension, in probe order. */
export function candidates(path: string): string[] {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const out = [trimmed];
  for (const ext of SOURCE_EXTENSIONS) out.push(trimmed + ext);
  for (const ext of SOURCE_EXTENSIONS) out.push(`${trimmed}/index${ext}`);
  return out;
}

export function resolveSpecifier(fromFile: string, specifier: string, exists: (path: string) => boolean): Resolution {
  const name = packageNameOf(specifier);
  if (name !== null) return { kind: 'package', name, specifier };
  const tried = candidates(joinPath(fromFile, specifier));
  const found = tried.find(exists);
  return found ? { kind: 'file', path: found } : { kind: 'missing', tried };
}

/** Entries sandpack's templates use, tried when package.json has no usable `main`. */
const TEMPLATE_ENTRIES: Record<string, string[]> = {
  'create-react-app': ['/index.tsx', '/src/index.tsx', '/index.js', '/src/index.js', '/index.jsx', '/src/index.jsx'],
  'create-react-app-typescript': ['/index.tsx', '/src/index.tsx'],
};
const FALLBACK_ENTRIES = ['/index.tsx', '/src/index.tsx', '/index.ts', '/src/index.ts', '/index.js', '/src/index.js', '/index.jsx', '/src/index.jsx'];

/** The entry: package.json `main` (`src/x`, `./src/x` or `/src/x`, extension optional), else the template's. */
export function resolveEntry(packageJson: string | undefined, template: string | null, exists: (path: string) => boolean): string | null {
  const main = readMain(packageJson);
  if (main) {
    const found = candidates(joinPath('/', main)).find(exists);
    if (found) return found;
  }
  const list = [...(TEMPLATE_ENTRIES[template ?? ''] ?? []), ...FALLBACK_ENTRIES];
  return list.find(exists) ?? null;
}

function readMain(packageJson: string | undefined): string | null {
  if (!packageJson) return null;
  try {
    const parsed: unknown = JSON.parse(packageJson);
    if (typeof parsed === 'object' && parsed !== null && 'main' in parsed) {
      const main = (parsed as { main: unknown }).main;
      return typeof main === 'string' && main.trim() !== '' ? main.trim() : null;
    }
  } catch {
    // A broken package.json is reported by the compile; the template's entry still runs.
  }
  return null;
}
