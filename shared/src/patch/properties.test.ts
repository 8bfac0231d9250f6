import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { createPatch } from './diff.js';
import { extractDiff } from './extract.js';
import { formatPatch } from './format.js';
import { parsePatch } from './parse.js';
import { squashWhitespace } from './text.js';
import type { FilePatch, Hunk, HunkLine, PatchSet } from './types.js';

// The run's seed (vitest.config.ts sets it from FC_SEED or the commit under test).
const seed = Number(process.env.FC_SEED);
console.log(`patch properties: fast-check seed ${seed} (replay with FC_SEED=${seed} npm test)`);
fc.configureGlobal({ seed });

/**
 * Property tests. Files are drawn from a small vocabulary so that lines repeat (the hard case
 * for locating hunks); vocabulary lines differ from each other in more than whitespace.
 */
const VOCAB = [
  '',
  '}',
  '  return x;',
  'if (a) {',
  '  call(1);',
  '  call(2);',
  'const y = 3;',
  '// note',
  '\tdeep();',
  'end',
  '    nested(a, b);',
  'export {};',
];

const lineArb = fc.constantFrom(...VOCAB);
const linesArb = fc.array(lineArb, { maxLength: 40 });

interface Doc {
  lines: string[];
  eol: '\n' | '\r\n';
  final: boolean;
}

const text = (d: Doc) => (d.lines.length === 0 ? '' : d.lines.join(d.eol) + (d.final ? d.eol : ''));

/** An edit: at a relative position, delete some lines and insert others. */
const editArb = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat(4), ins: fc.array(lineArb, { maxLength: 4 }) });

function edit(lines: string[], edits: Array<{ at: number; del: number; ins: string[] }>): string[] {
  const out = [...lines];
  for (const e of edits) out.splice(Math.floor(e.at * out.length), e.del, ...e.ins);
  return out;
}

/** Two versions of a file with the same line-ending style (the engine keeps a file's endings). */
const pairArb = fc
  .record({
    lines: linesArb,
    edits: fc.array(editArb, { minLength: 1, maxLength: 5 }),
    eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    finalA: fc.boolean(),
    finalB: fc.boolean(),
  })
  .map(({ lines, edits, eol, finalA, finalB }) => ({
    a: text({ lines, eol, final: finalA }),
    b: text({ lines: edit(lines, edits), eol, final: finalB }),
  }));

describe('createPatch(A, B) applies to A giving exactly B', () => {
  it('for LF and CRLF files, with or without final newline, empty files included', () => {
    fc.assert(
      fc.property(pairArb, fc.integer({ min: 0, max: 4 }), ({ a, b }, context) => {
        const patch = createPatch('f.txt', a, b, { context });
        if (a === b) {
          expect(patch).toBe('');
          return;
        }
        const r = applyPatch({ 'f.txt': a }, patch, { maxStrategy: 'exact' });
        expect(r.files['f.txt']).toBe(b);
        // The normalised patch of the result is itself a strict patch from A to B.
        expect(applyPatch({ 'f.txt': a }, r.results[0]!.patch, { maxStrategy: 'exact' }).files['f.txt']).toBe(b);
        // And printing what was parsed gives the same text back.
        expect(formatPatch(parsePatch(patch))).toBe(patch);
      }),
      { numRuns: 400 },
    );
  });

  it('for created and deleted files', () => {
    fc.assert(
      fc.property(pairArb, ({ b }) => {
        const created = applyPatch({}, createPatch('n.txt', null, b));
        expect(created.files['n.txt']).toBe(b);
        const deleted = applyPatch({ 'n.txt': b }, createPatch('n.txt', b, null));
        expect(deleted.files['n.txt']).toBeNull();
      }),
      { numRuns: 100 },
    );
  });
});

const safeText = fc.string({ unit: fc.constantFrom(...'abc xyz();{}=\t#'.split('')), maxLength: 12 }).filter((s) => !/^[+-]/.test(s));
const hunkLineArb: fc.Arbitrary<HunkLine> = fc
  .record({ kind: fc.constantFrom<HunkLine['kind']>('context', 'add', 'remove'), text: safeText, noEol: fc.boolean(), crlf: fc.boolean() })
  .map(({ kind, text, noEol, crlf }) => ({ kind, text, ...(noEol ? { noEol: true as const } : {}), ...(crlf ? { crlf: true as const } : {}) }));
const hunkArb: fc.Arbitrary<Hunk> = fc
  .record({
    start: fc.option(fc.tuple(fc.nat(500), fc.nat(500))),
    section: fc.option(fc.stringMatching(/^[a-z(){} ]{1,10}$/)),
    lines: fc.array(hunkLineArb, { minLength: 1, maxLength: 8 }),
  })
  .map(({ start, section, lines }) => ({ oldStart: start?.[0] ?? null, newStart: start?.[1] ?? null, ...(section ? { section } : {}), lines }));
const pathArb = fc.stringMatching(/^[a-z]{1,6}(\/[a-z0-9_.-]{1,8}){0,2}$/);
const fileArb: fc.Arbitrary<FilePatch> = fc
  .record({
    op: fc.constantFrom<FilePatch['op']>('modify', 'create', 'delete', 'rename'),
    a: pathArb,
    b: pathArb,
    hunks: fc.array(hunkArb, { minLength: 1, maxLength: 3 }),
  })
  .filter((f) => f.op !== 'rename' || f.a !== f.b)
  .map(({ op, a, b, hunks }): FilePatch => ({
    op,
    oldPath: op === 'create' ? null : a,
    newPath: op === 'delete' ? null : op === 'rename' ? b : a,
    hunks,
    // A formatted rename states itself with `rename from` / `rename to`.
    ...(op === 'rename' ? { renameHeader: true as const } : {}),
  }));

describe('parse ∘ format', () => {
  it('round trips any patch set', () => {
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 3 }), (files) => {
        // Two sections patching the same file are merged by the parser: keep one per path.
        const unique = files.filter((f, i) => f.op !== 'modify' || files.findIndex((g) => g.op === 'modify' && g.newPath === f.newPath) === i);
        const set: PatchSet = { files: unique };
        expect(parsePatch(formatPatch(set))).toEqual(set);
      }),
      { numRuns: 300 },
    );
  });
});

/** Ways models damage diffs. Each returns the damaged text and whether the line numbers survive. */
const corruptions = {
  shiftNumbers: (p: string, k: number) =>
    p.replace(/^@@ -(\d+)(,\d+)? \+(\d+)/gm, (_m, a, c, b) => `@@ -${Math.max(1, +a + k)}${c ?? ''} +${Math.max(1, +b + k)}`),
  randomNumbers: (p: string, k: number) => p.replace(/^@@ -(\d+)/gm, (_m, a) => `@@ -${Math.max(1, +a + ((+a * 7 + k) % 23) - 11)}`),
  dropNumbers: (p: string) => p.replace(/^@@ [^@]*@@/gm, '@@ @@'),
  wrongCounts: (p: string, k: number) =>
    p.replace(/^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/gm, (_m, a, b) => `@@ -${a},${(k % 5) + 1} +${b},${(k % 3) + 2} @@`),
  trailingSpaces: (p: string) => p.replace(/^([ -][^\n]*[^ \n])$/gm, (l) => (l.startsWith('---') ? l : `${l}  `)),
  innerSpaces: (p: string) => p.replace(/^([ -][^\n]*) = ([^\n]*)$/gm, '$1  =  $2'),
  contextNoSpace: (p: string) => p.replace(/^ (?=[^+\-@\\ ])/gm, ''),
  headers: (p: string) =>
    p
      .replace(/^diff --git .*\n/gm, '')
      .replace(/^--- a\//m, '--- ./')
      .replace(/^\+\+\+ b\//m, '+++ ./'),
  crlf: (p: string) => p.replace(/\r?\n/g, '\r\n'),
  fence: (p: string) => `Here is the change:\n\n\`\`\`diff\n${p}\`\`\`\n\nIt should work now.\n`,
};
type Corruption = keyof typeof corruptions;
const NUMBER_CORRUPTIONS: Corruption[] = ['shiftNumbers', 'randomNumbers', 'dropNumbers'];

/** Whether some hunk's old lines (less trailing context, which a parser may drop) occur twice in A. */
function ambiguousIn(a: string, patch: string): boolean {
  const fileKeys = a.split(/\r?\n/).map(squashWhitespace);
  return parsePatch(patch).files[0]!.hunks.some((h) => {
    const old = h.lines.filter((l) => l.kind !== 'add');
    let end = old.length;
    while (end > 0 && old[end - 1]!.kind === 'context') end--;
    const keys = old.slice(0, Math.max(end, 1)).map((l) => squashWhitespace(l.text));
    let count = 0;
    for (let s = 0; s + keys.length <= fileKeys.length; s++) if (keys.every((k, i) => fileKeys[s + i] === k)) count++;
    return count > 1;
  });
}

describe('corrupted diffs apply correctly or are refused, never wrongly', () => {
  it('under random whitespace, line-number, count, header, CRLF and fence damage', () => {
    const corruptionArb = fc.uniqueArray(fc.constantFrom(...(Object.keys(corruptions) as Corruption[])), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(pairArb, corruptionArb, fc.integer({ min: -30, max: 30 }), ({ a, b }, damage, k) => {
        const clean = createPatch('src/f.ts', a, b);
        fc.pre(clean !== '');
        // Counts are what tells context that lost its space from prose after a hunk: with both
        // damaged, a refusal is right too (a wrong apply never is).
        const numbersLost = damage.some((d) => NUMBER_CORRUPTIONS.includes(d)) || (damage.includes('wrongCounts') && damage.includes('contextNoSpace'));
        fc.pre(!(numbersLost && ambiguousIn(a, clean)));
        // A file with no line ending yet takes the diff's: a CRLF diff then rightly gives CRLF lines.
        fc.pre(!(damage.includes('crlf') && !a.includes('\n')));
        let patch = clean;
        for (const d of damage) patch = corruptions[d](patch, k);
        const r = applyPatch({ 'src/f.ts': a }, extractDiff(patch) ?? patch);
        if (r.ok) expect(r.files['src/f.ts']).toBe(b);
        else expect(r.files['src/f.ts']).toBe(a);
        if (!numbersLost) expect(r.results[0]!.conflicts).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});
