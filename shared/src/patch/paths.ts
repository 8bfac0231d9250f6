/** Path clean-up for diff headers: `a/` `b/` prefixes, `./`, quotes, timestamps. */

const TIMESTAMP = /\s+\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?( ?[+-]\d{2}:?\d{2}| ?Z)?$/;

/** Unquotes a git C-style quoted path (`"a/with\ttab"`); other text is returned as is. */
function unquote(raw: string): string {
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) return raw;
  const body = raw.slice(1, -1);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      bytes.push(...enc.encode(ch));
      continue;
    }
    const next = body[++i]!;
    const octal = /^[0-7]{3}/.exec(body.slice(i, i + 3));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 2;
    } else {
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
      bytes.push(...enc.encode(map[next] ?? next));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The path written after `--- ` / `+++ ` (or in a git header), without timestamps or quotes. */
export function cleanHeaderPath(raw: string): string | null {
  let p = raw;
  const tab = p.indexOf('\t');
  if (tab !== -1) p = p.slice(0, tab);
  p = p.replace(TIMESTAMP, '').trim();
  p = unquote(p);
  if (p === '/dev/null' || p === 'dev/null' || p === '') return null;
  return p;
}

export function stripDotSlash(p: string): string {
  let out = p;
  while (out.startsWith('./')) out = out.slice(2);
  while (out.startsWith('/')) out = out.slice(1);
  return out;
}

/**
 * Removes git's `a/` and `b/` prefixes when the pair shows they are prefixes (both sides have
 * them, one side is /dev/null, or the other side is the same path without it), then `./`.
 */
export function normalizePair(oldRaw: string | null, newRaw: string | null, gitPrefixes: boolean): [string | null, string | null] {
  let oldP = oldRaw;
  let newP = newRaw;
  const oldA = oldP?.startsWith('a/') ?? false;
  const newB = newP?.startsWith('b/') ?? false;
  const bothOrNull = (oldA || oldP === null) && (newB || newP === null);
  if (gitPrefixes || (bothOrNull && (oldA || newB))) {
    if (oldA) oldP = oldP!.slice(2);
    if (newB) newP = newP!.slice(2);
  } else {
    if (oldA && newP !== null && oldP!.slice(2) === stripDotSlash(newP)) oldP = oldP!.slice(2);
    if (newB && oldP !== null && newP!.slice(2) === stripDotSlash(oldP)) newP = newP!.slice(2);
  }
  return [oldP === null ? null : stripDotSlash(oldP), newP === null ? null : stripDotSlash(newP)];
}

/** Splits the rest of a `diff --git <old> <new>` line into its two raw paths. */
export function splitGitHeader(rest: string): [string, string] | null {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted) return [quoted[1]!, quoted[2]!];
  // Unquoted paths with spaces: `a/x y b/x y` — prefer the split with equal halves.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ') {
    const left = rest.slice(0, half);
    const right = rest.slice(half + 1);
    if (left.slice(2) === right.slice(2)) return [left, right];
  }
  const mid = rest.indexOf(' b/');
  if (mid !== -1) return [rest.slice(0, mid), rest.slice(mid + 1)];
  return null;
}

/** Quotes a path for a header when it needs it (git style), otherwise returns it unchanged. */
export function formatHeaderPath(prefix: string, path: string): string {
  if (!/["\\\t\n\r]/.test(path) && !/^\s|\s$/.test(path)) return prefix + path;
  const esc = (prefix + path).replace(/[\\"\t\n\r]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
  return `"${esc}"`;
}
