import { PatchError } from './errors.js';
import { cleanHeaderPath, normalizePair, splitGitHeader, stripDotSlash } from './paths.js';
import { looksLikeProse } from './text.js';
import type { FilePatch, Hunk, HunkLine, PatchSet } from './types.js';

export interface ParseOptions {
  /** Path for hunks that come with no file header (single-file use, e.g. an editor buffer). */
  defaultPath?: string;
}

interface RawLine {
  text: string;
  crlf: boolean;
}

/** A file section while it is being read. */
interface FileBuilder {
  gitOld: string | null;
  gitNew: string | null;
  minus: string | null | undefined; // undefined: no `---` line; null: /dev/null
  plus: string | null | undefined;
  newFile: boolean;
  deletedFile: boolean;
  renameFrom: string | null;
  renameTo: string | null;
  hunks: Hunk[];
  startLine: number;
}

function newBuilder(startLine: number): FileBuilder {
  return {
    gitOld: null,
    gitNew: null,
    minus: undefined,
    plus: undefined,
    newFile: false,
    deletedFile: false,
    renameFrom: null,
    renameTo: null,
    hunks: [],
    startLine,
  };
}

function splitRaw(text: string): RawLine[] {
  const parts = text.split('\n');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (!text.includes('\r')) return parts.map((t) => ({ text: t, crlf: false }));
  return parts.map((t) => (t.endsWith('\r') ? { text: t.slice(0, -1), crlf: true } : { text: t, crlf: false }));
}

const HUNK_OLD = /-(\d+)(?:,(\d+))?/;
const HUNK_NEW = /\+(\d+)(?:,(\d+))?/;

interface HunkHeader {
  oldStart: number | null;
  oldCount: number | null;
  newStart: number | null;
  newCount: number | null;
  section: string;
}

/** The well-formed header, read in one match (the tolerant reading below runs four regexes). */
const CANONICAL_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(?: (.*))?$/;

/** Reads `@@ -a,b +c,d @@ section`, tolerating missing numbers, counts or closing `@@`. */
export function parseHunkHeader(line: string): HunkHeader {
  const c = CANONICAL_HEADER.exec(line);
  if (c) {
    const [, oldStart, oldCount, newStart, newCount, section] = c;
    return {
      oldStart: Number(oldStart),
      oldCount: oldCount === undefined ? 1 : Number(oldCount),
      newStart: Number(newStart),
      newCount: newCount === undefined ? 1 : Number(newCount),
      section: section ?? '',
    };
  }
  const body = line.replace(/^@+/, '');
  const close = body.indexOf('@@');
  const middle = close === -1 ? body : body.slice(0, close);
  const section = close === -1 ? '' : body.slice(close).replace(/^@+ ?/, '');
  const o = HUNK_OLD.exec(middle);
  const n = HUNK_NEW.exec(middle);
  return {
    oldStart: o ? Number(o[1]) : null,
    oldCount: o ? (o[2] === undefined ? 1 : Number(o[2])) : null,
    newStart: n ? Number(n[1]) : null,
    newCount: n ? (n[2] === undefined ? 1 : Number(n[2])) : null,
    section,
  };
}

function isFileHeaderAt(lines: RawLine[], i: number): boolean {
  const t = lines[i]!.text;
  // Most lines start with ' ' or '+': one character rules them out (this runs on every line).
  const c = t.charCodeAt(0);
  if (c !== 100 && c !== 73 && c !== 45) return false; // 'd', 'I', '-'

  if (t.startsWith('diff --git ') || t.startsWith('Index: ')) return true;
  return t.startsWith('--- ') && (lines[i + 1]?.text.startsWith('+++ ') ?? false);
}

function countsSatisfied(body: HunkLine[], h: HunkHeader): boolean {
  if (h.oldCount === null || h.newCount === null) return false;
  let o = 0;
  let n = 0;
  for (const l of body) {
    if (l.kind !== 'add') o++;
    if (l.kind !== 'remove') n++;
  }
  return o >= h.oldCount && n >= h.newCount;
}

/**
 * After a hunk that is complete by its counts, a run of unprefixed lines ends it if nothing
 * but a header or the end follows the run (prose between or after files). If `+`/`-`/` `
 * lines follow, the counts were wrong and the run is context that lost its leading space:
 * dropping the changed lines after it would apply a different change than the one written.
 */
function proseFollows(lines: RawLine[], i: number): boolean {
  let j = i;
  while (j < lines.length && !/^[ +\-\\]/.test(lines[j]!.text) && !lines[j]!.text.startsWith('@@') && !isFileHeaderAt(lines, j)) j++;
  return j >= lines.length || isFileHeaderAt(lines, j) || lines[j]!.text.startsWith('@@');
}

/**
 * Reads a hunk body from line `start`. Lines without a prefix count as context that lost its
 * leading space; trailing ones are kept only as far as the header's counts ask for them.
 */
function readHunkBody(lines: RawLine[], start: number, h: HunkHeader): { lines: HunkLine[]; next: number } {
  const body: HunkLine[] = [];
  let certain = 0; // body[0..certain) is certainly part of the hunk
  let i = start;
  for (; i < lines.length; i++) {
    const { text, crlf } = lines[i]!;
    if (text.startsWith('@@') || text.startsWith('diff --git ')) break;
    // `--- x` + `+++ y` is a removed and an added line while the counts still want lines,
    // unless a hunk header follows: then it is the next file's header.
    if (isFileHeaderAt(lines, i) && (countsSatisfied(body, h) || h.oldCount === null || lines[i + 2]?.text.startsWith('@@') !== false)) break;
    const c = text[0];
    if (c === '\\') {
      const last = body[body.length - 1];
      if (last && body.length === certain) last.noEol = true;
      continue;
    }
    const prefixed = c === '+' || c === '-' || c === ' ';
    if (!prefixed && countsSatisfied(body, h) && proseFollows(lines, i)) break;
    const kind = c === '+' ? 'add' : c === '-' ? 'remove' : 'context';
    const line: HunkLine = { kind, text: prefixed ? text.slice(1) : text };
    if (crlf) line.crlf = true;
    body.push(line);
    if (prefixed) certain = body.length;
  }
  const kept = body.slice(0, certain);
  const tail = body.slice(certain);
  for (let k = 0; k < tail.length; k++) {
    if (h.oldCount === null || h.newCount === null || countsSatisfied(kept, h)) break;
    // Counts too large and a sentence after the hunk: the sentence is prose, not context.
    if (looksLikeProse(tail[k]!.text) || (tail[k]!.text.trim() === '' && looksLikeProse(tail[k + 1]?.text ?? ''))) break;
    kept.push(tail[k]!);
  }
  return { lines: kept, next: i };
}

/**
 * A hunk with no old lines can only be placed by its number. Unless the header's counts
 * describe exactly that (0 old lines, as many new lines as it adds), its context was lost or
 * its header is wrong, and "insert after line N" would be a guess: the number is dropped so
 * that the hunk is refused (in a non-empty file) rather than placed wrongly.
 */
function insertionStart(h: HunkHeader, lines: readonly HunkLine[]): number | null {
  if (h.oldStart === null || lines.some((l) => l.kind !== 'add')) return h.oldStart;
  return h.oldCount === 0 && h.newCount === lines.length ? h.oldStart : null;
}

/** `-`/`+` lines right after a file's headers, with no `@@` line: a hunk without numbers. */
function startsImplicitHunk(cur: FileBuilder | null, t: string): boolean {
  if (cur === null || cur.hunks.length > 0 || (cur.plus === undefined && cur.gitOld === null)) return false;
  return /^[+-]/.test(t) && !t.startsWith('--- ') && !t.startsWith('+++ ');
}

function readGitHeader(b: FileBuilder, rest: string): void {
  const pair = splitGitHeader(rest);
  if (!pair) return;
  b.gitOld = cleanHeaderPath(pair[0]);
  b.gitNew = cleanHeaderPath(pair[1]);
}

/** Extended header lines (`new file mode`, `rename from`, ...). Returns false if not one. */
function readExtendedHeader(b: FileBuilder, text: string, lineNo: number): boolean {
  if (text.startsWith('new file mode')) b.newFile = true;
  else if (text.startsWith('deleted file mode')) b.deletedFile = true;
  else if (text.startsWith('rename from ')) b.renameFrom = cleanHeaderPath(text.slice(12));
  else if (text.startsWith('rename to ')) b.renameTo = cleanHeaderPath(text.slice(10));
  else if (text.startsWith('copy from ')) b.renameFrom = cleanHeaderPath(text.slice(10));
  else if (text.startsWith('copy to ')) b.renameTo = cleanHeaderPath(text.slice(8));
  else if (text.startsWith('Binary files ') || text.startsWith('GIT binary patch')) {
    throw PatchError.binary(b.gitNew ?? b.gitOld ?? '(unknown file)', lineNo);
  } else return /^(index |old mode |new mode |similarity index |dissimilarity index |=+$)/.test(text);
  return true;
}

function finishFile(b: FileBuilder, defaultPath: string | undefined): FilePatch | null {
  const hasHeaders = b.minus !== undefined || b.plus !== undefined || b.gitOld !== null || b.renameFrom !== null;
  if (!hasHeaders && b.hunks.length === 0) return null;
  const gitStyle = b.gitOld !== null && b.gitOld.startsWith('a/') && (b.gitNew?.startsWith('b/') ?? false);
  let rawOld = b.minus !== undefined ? b.minus : b.gitOld;
  let rawNew = b.plus !== undefined ? b.plus : b.gitNew;
  if (b.newFile) rawOld = null;
  if (b.deletedFile) rawNew = null;
  let [oldPath, newPath] = normalizePair(rawOld ?? null, rawNew ?? null, gitStyle);
  if (b.renameFrom !== null) oldPath = stripDotSlash(b.renameFrom);
  if (b.renameTo !== null) newPath = stripDotSlash(b.renameTo);
  if (oldPath === null && newPath === null) {
    if (defaultPath === undefined) throw PatchError.missingFileHeader(b.startLine);
    oldPath = newPath = defaultPath;
  }
  const op = oldPath === null ? 'create' : newPath === null ? 'delete' : oldPath !== newPath ? 'rename' : 'modify';
  const f: FilePatch = { op, oldPath, newPath, hunks: b.hunks };
  if (op === 'rename' && b.renameFrom !== null) f.renameHeader = true;
  return f;
}

/** Same file patched in two sections of one answer: one file patch with all the hunks. */
function mergeSections(files: FilePatch[]): FilePatch[] {
  const out: FilePatch[] = [];
  for (const f of files) {
    const prev = out.find((p) => p.op === 'modify' && f.op === 'modify' && p.newPath === f.newPath);
    if (prev) prev.hunks.push(...f.hunks);
    else out.push(f);
  }
  return out;
}

/**
 * Parses a (possibly multi-file) unified diff, tolerating the usual defects of model-written
 * diffs: wrong or missing hunk numbers and counts, context lines without their leading space,
 * missing `diff --git` lines, `a/` `b/` `./` prefixes or their absence, CRLF, prose between files.
 * Throws PatchError when the text holds no diff.
 */
export function parsePatch(text: string, options: ParseOptions = {}): PatchSet {
  const lines = splitRaw(text);
  const files: FilePatch[] = [];
  let cur: FileBuilder | null = null;
  const finish = () => {
    if (cur) {
      const f = finishFile(cur, options.defaultPath);
      if (f) files.push(f);
    }
    cur = null;
  };
  let i = 0;
  while (i < lines.length) {
    const t = lines[i]!.text;
    if (t.startsWith('diff --git ')) {
      finish();
      cur = newBuilder(i + 1);
      readGitHeader(cur, t.slice(11));
    } else if (t.startsWith('Index: ')) {
      finish();
      cur = newBuilder(i + 1);
    } else if (t.startsWith('--- ') && lines[i + 1]?.text.startsWith('+++ ')) {
      const c: FileBuilder | null = cur;
      if (!c || c.hunks.length > 0 || c.minus !== undefined) {
        finish();
        cur = newBuilder(i + 1);
      }
      cur!.minus = cleanHeaderPath(t.slice(4));
      cur!.plus = cleanHeaderPath(lines[i + 1]!.text.slice(4));
      i += 2;
      continue;
    } else if (t.startsWith('@@') || startsImplicitHunk(cur, t)) {
      if (!cur) {
        if (options.defaultPath === undefined) throw PatchError.missingFileHeader(i + 1);
        cur = newBuilder(i + 1);
      }
      const isHeader = t.startsWith('@@');
      const h = isHeader ? parseHunkHeader(t) : { oldStart: null, oldCount: null, newStart: null, newCount: null, section: '' };
      const body = readHunkBody(lines, isHeader ? i + 1 : i, h);
      if (body.lines.length > 0) {
        const hunk: Hunk = { oldStart: insertionStart(h, body.lines), newStart: h.newStart, lines: body.lines };
        if (h.section !== '') hunk.section = h.section;
        cur.hunks.push(hunk);
      }
      i = body.next;
      continue;
    } else if (cur && cur.hunks.length === 0) {
      readExtendedHeader(cur, t, i + 1);
    }
    i++;
  }
  finish();
  return validateSet(mergeSections(files));
}

function validateSet(files: FilePatch[]): PatchSet {
  if (files.length === 0) {
    throw PatchError.notADiff('found no `@@` hunk header and no `--- a/<path>` / `+++ b/<path>` file header');
  }
  if (files.every((f) => f.op === 'modify' && f.hunks.length === 0)) throw PatchError.noChanges();
  return { files };
}
