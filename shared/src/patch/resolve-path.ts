/**
 * Which project file a diff header means. Models write paths with other prefixes than `a/`
 * `b/` (`i/` `w/`, `old/` `new/`), `./` or a leading `/`, backslashes, the project folder's
 * name in front, relative to another root, or in another case. A header resolves when
 * exactly one file fits at the closest level of fit; several fitting equally is ambiguous.
 */

export type PathHow = 'normalised' | 'prefix' | 'suffix' | 'case';

export type PathFit = { key: string; how: PathHow | null } | { ambiguous: string[] } | null;

type Present = (key: string) => boolean;

/** Backslashes, `./`, leading slashes and doubled slashes gone. */
export function normalisePath(p: string): string {
  let out = p.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  for (;;) {
    const next = out.replace(/^\.\//, '').replace(/^\//, '');
    if (next === out) return out;
    out = next;
  }
}

/** Prefixes diff tools put in front of both paths (git's a/ b/ and mnemonic i/ w/ c/ o/, and common words). */
const DIFF_PREFIX = /^(?:[a-z]|old|new|orig|original|modified|before|after|current|updated)\//i;

function fitsAt(keys: readonly string[], tail: string, fold: (s: string) => string): string[] {
  const t = fold(tail);
  return keys.filter((k) => {
    const f = fold(k);
    return f === t || f.endsWith(`/${t}`);
  });
}

/**
 * Tails of the path, longest first: `my-app/src/App.tsx` → itself, `src/App.tsx`, `App.tsx`.
 * At each, the files equal to it or ending in it fit; the first tail any file fits decides.
 */
function bySuffix(keys: readonly string[], path: string, fold: (s: string) => string): string[] {
  const parts = path.split('/');
  // A bare file name in another folder is another file: keep a folder unless none was written.
  for (let d = 0; d < Math.max(1, parts.length - 1); d++) {
    const fits = fitsAt(keys, parts.slice(d).join('/'), fold);
    if (fits.length > 0) return fits;
  }
  return [];
}

export function fitPath(keys: readonly string[], present: Present, written: string): PathFit {
  if (present(written)) return { key: written, how: null };
  const n = normalisePath(written);
  if (n !== written && present(n)) return { key: n, how: 'normalised' };
  const dotted = keys.find((k) => normalisePath(k) === n);
  if (dotted !== undefined) return { key: dotted, how: 'normalised' };
  const stripped = n.replace(DIFF_PREFIX, '');
  if (stripped !== n && present(stripped)) return { key: stripped, how: 'prefix' };
  for (const [fold, how] of [
    [(s: string) => s, 'suffix'],
    [(s: string) => s.toLowerCase(), 'case'],
  ] as const) {
    const fits = bySuffix(keys, n, fold);
    if (fits.length === 1) return { key: fits[0]!, how };
    if (fits.length > 1) return { ambiguous: fits.sort() };
  }
  return null;
}

/**
 * Where a created (or renamed-to) file goes: the path as written without `./` or a leading
 * `/`; a leading folder is dropped when the rest lands in a folder the project has and the
 * written one does not (`my-app/src/New.tsx` → `src/New.tsx`).
 */
export function newFilePath(keys: readonly string[], written: string): string {
  // Backslashes stay: in a new file's name they may be meant, and a project path refuses them.
  const n = written.replace(/^(?:\.\/|\/)+/, '');
  const dirs = new Set(
    keys.flatMap((k) =>
      k
        .split('/')
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join('/')),
    ),
  );
  const dirOf = (p: string) => p.split('/').slice(0, -1).join('/');
  if (dirOf(n) === '' || dirs.has(dirOf(n))) return n;
  const rest = n.split('/').slice(1).join('/');
  return rest !== '' && dirOf(rest) !== '' && dirs.has(dirOf(rest)) ? rest : n;
}
