import { formatFilePatch } from './format.js';
import type { FileApplyResult, HunkApplyInfo, HunkLine, PatchApplyResult } from './types.js';

/**
 * The clean lane: a well-formed unified diff whose every hunk matches exactly at its line
 * number, applied in one pass with no per-line objects. Most diffs from a good model or a
 * tool are like that, and for them the general engine's tolerance is pure overhead (on a
 * 20-line file it cost 4× jsdiff's time). The lane returns exactly what the engine returns
 * for such a diff (clean.test.ts checks that on random diffs); for anything else — prose, a
 * fuzzy header, CRLF, a missing final newline, a line number off by one — it returns null
 * and the engine runs as usual.
 */

type Files = Readonly<Record<string, string | null>>;

interface CleanHunk {
  oldStart: number;
  oldCount: number;
  newCount: number;
  /** Offsets of the hunk's body in the patch text: [from, to). */
  from: number;
  to: number;
}

interface CleanFile {
  path: string;
  hunks: CleanHunk[];
}

const HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

/** Reads one hunk's body from `at`, checking its counts; returns its end, or -1. */
function readBody(patch: string, at: number, h: CleanHunk): number {
  let old = 0;
  let neu = 0;
  let p = at;
  while (old < h.oldCount || neu < h.newCount) {
    if (p >= patch.length) return -1;
    const c = patch.charCodeAt(p);
    if (c === 32) {
      old++;
      neu++;
    } else if (c === 45) old++;
    else if (c === 43) neu++;
    else return -1;
    p = lineEnd(patch, p) + 1;
  }
  return old === h.oldCount && neu === h.newCount ? p : -1;
}

/** The file sections of a clean diff, or null. */
function parseClean(patch: string): CleanFile[] | null {
  if (patch.includes('\r')) return null;
  const files: CleanFile[] = [];
  let p = 0;
  while (p < patch.length) {
    let end = lineEnd(patch, p);
    let line = patch.slice(p, end);
    if (line.startsWith('diff --git ')) {
      p = end + 1;
      end = lineEnd(patch, p);
      line = patch.slice(p, end);
      if (line.startsWith('index ')) {
        p = end + 1;
        end = lineEnd(patch, p);
        line = patch.slice(p, end);
      }
    }
    if (!line.startsWith('--- a/') || line.includes('\t')) return null;
    const path = line.slice(6);
    p = end + 1;
    end = lineEnd(patch, p);
    if (patch.slice(p, end) !== `+++ b/${path}` || files.some((f) => f.path === path)) return null;
    p = end + 1;
    const hunks: CleanHunk[] = [];
    while (p < patch.length && patch.startsWith('@@', p)) {
      end = lineEnd(patch, p);
      const m = HEADER.exec(patch.slice(p, end));
      if (!m) return null;
      const h: CleanHunk = {
        oldStart: Number(m[1]),
        oldCount: m[2] === undefined ? 1 : Number(m[2]),
        newCount: m[4] === undefined ? 1 : Number(m[4]),
        from: end + 1,
        to: 0,
      };
      if (h.oldCount === 0 || h.oldStart === 0) return null;
      h.to = readBody(patch, h.from, h);
      if (h.to === -1) return null;
      hunks.push(h);
      p = h.to;
    }
    if (hunks.length === 0) return null;
    files.push({ path, hunks });
  }
  return files.length > 0 ? files : null;
}

/**
 * Applies one file's hunks if each matches exactly at its number; the new text and the
 * applied hunks' infos, or null.
 */
function applyFile(text: string, patch: string, hunks: readonly CleanHunk[]): { text: string; infos: HunkApplyInfo[] } | null {
  const pieces: string[] = [];
  let line = 0; // file line at `pos`
  let pos = 0;
  let kept = 0; // offset from which the original is still to be copied
  const infos: HunkApplyInfo[] = [];
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i]!;
    const start = h.oldStart - 1;
    if (start < line) return null;
    while (line < start) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) return null;
      pos = nl + 1;
      line++;
    }
    for (let p = h.from; p < h.to;) {
      const e = patch.indexOf('\n', p);
      const end = e === -1 ? patch.length : e;
      const kind = patch.charCodeAt(p);
      if (kind === 43) {
        pieces.push(text.slice(kept, pos), patch.slice(p + 1, end), '\n');
        kept = pos;
      } else {
        const nl = text.indexOf('\n', pos);
        // Every old line must be a whole line of the file, equal to the hunk's.
        if (nl === -1 || nl - pos !== end - p - 1 || text.slice(pos, nl) !== patch.slice(p + 1, end)) return null;
        if (kind === 45) {
          pieces.push(text.slice(kept, pos));
          kept = nl + 1;
        }
        pos = nl + 1;
        line++;
      }
      p = end + 1;
    }
    infos.push({ hunkIndex: i, strategy: 'exact', fuzz: 0, oldStart: h.oldStart, offset: 0 });
  }
  pieces.push(text.slice(kept));
  return { text: pieces.join(''), infos };
}

/** The hunks as the engine reports them applied: its own lines, new-side numbers recomputed. */
function appliedHunks(patch: string, hunks: readonly CleanHunk[]) {
  let delta = 0;
  return hunks.map((h) => {
    const lines: HunkLine[] = [];
    for (let p = h.from; p < h.to;) {
      const end = lineEnd(patch, p);
      const c = patch[p];
      lines.push({ kind: c === '+' ? 'add' : c === '-' ? 'remove' : 'context', text: patch.slice(p + 1, end) });
      p = end + 1;
    }
    const newStart = h.newCount === 0 ? h.oldStart - 1 + delta : h.oldStart + delta;
    delta += h.newCount - h.oldCount;
    return { oldStart: h.oldStart, newStart, lines };
  });
}

function withLazyPatch(r: Omit<FileApplyResult, 'patch'>, patch: string, hunks: readonly CleanHunk[]): FileApplyResult {
  let value: string | undefined;
  return Object.defineProperty(r, 'patch', {
    enumerable: true,
    configurable: true,
    get() {
      value ??= formatFilePatch({ op: 'modify', oldPath: r.path, newPath: r.path, hunks: appliedHunks(patch, hunks) });
      return value;
    },
    set(v: string) {
      value = v;
    },
  }) as FileApplyResult;
}

export function applyClean(files: Files, patch: string): PatchApplyResult | null {
  const parsed = parseClean(patch);
  if (parsed === null) return null;
  const out: Record<string, string | null> = { ...files };
  const results: FileApplyResult[] = [];
  for (const f of parsed) {
    const text = Object.hasOwn(files, f.path) ? files[f.path] : null;
    // A file without a final newline or with CRLF endings takes the engine's rules.
    if (typeof text !== 'string' || !text.endsWith('\n') || text.includes('\r')) return null;
    const r = applyFile(text, patch, f.hunks);
    if (r === null) return null;
    out[f.path] = r.text;
    results.push(withLazyPatch({ path: f.path, op: 'modify', ok: true, content: r.text, hunks: r.infos, conflicts: [] }, patch, f.hunks));
  }
  return { ok: true, files: out, results };
}
