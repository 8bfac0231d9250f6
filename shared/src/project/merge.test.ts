import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFile, mergeProjectFiles, mergeText, resolveChunks, splitLines, type MergeChunk } from './merge';

// Replay a failure with FC_SEED=<seed printed below>.
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`merge properties: fast-check seed ${SEED}`);

const conflicts = (chunks: MergeChunk[]) => chunks.filter((c) => c.kind === 'conflict');

describe('mergeText: three-way merge of one file', () => {
  const base = ['import a;', '', 'function f() {', '  return 1;', '}', '', 'function g() {', '  return 2;', '}', ''].join('\n');

  it('merges changes to different lines silently, keeping both', () => {
    const mine = base.replace('return 1;', 'return 10;');
    const theirs = base.replace('return 2;', 'return 20;');
    const r = mergeText(base, mine, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(base.replace('return 1;', 'return 10;').replace('return 2;', 'return 20;'));
  });

  it('merges adjacent line changes, and an insertion next to a change, in their one possible order', () => {
    const b = 'a\nb\nc\n';
    expect(mergeText(b, 'A\nb\nc\n', 'a\nB\nc\n').text).toBe('A\nB\nc\n');
    expect(mergeText(b, 'a\nnew\nb\nc\n', 'a\nB\nc\n').text).toBe('a\nnew\nB\nc\n');
  });

  it('reports overlapping changes as a conflict that holds both sides whole', () => {
    const mine = base.replace('return 1;', 'return "mine";');
    const theirs = base.replace('return 1;', 'return "theirs";');
    const r = mergeText(base, mine, theirs);
    expect(r.clean).toBe(false);
    expect(r.text).toBeNull();
    expect(conflicts(r.chunks)).toEqual([{ kind: 'conflict', base: ['  return 1;'], mine: ['  return "mine";'], theirs: ['  return "theirs";'] }]);
    expect(resolveChunks(r.chunks, ['mine'])).toBe(mine);
    expect(resolveChunks(r.chunks, ['theirs'])).toBe(theirs);
    expect(resolveChunks(r.chunks, ['both'])).toBe(base.replace('  return 1;', '  return "theirs";\n  return "mine";'));
  });

  it('treats two insertions at the same place as a conflict, and the same change made twice as one', () => {
    expect(mergeText('a\nb\n', 'a\nx\nb\n', 'a\ny\nb\n').clean).toBe(false);
    expect(mergeText('a\nb\n', 'a\nx\nb\nc\n', 'a\nx\nb\n').text).toBe('a\nx\nb\nc\n');
  });

  it('keeps CRLF endings and a missing final newline byte for byte', () => {
    const b = 'one\r\ntwo\r\nthree';
    expect(mergeText(b, 'ONE\r\ntwo\r\nthree', 'one\r\ntwo\r\nTHREE').text).toBe('ONE\r\ntwo\r\nTHREE');
  });
});

describe('mergeFile and mergeProjectFiles', () => {
  it('takes the only side that changed a file, including creations and deletions', () => {
    expect(mergeFile('a', 'a', 'b')).toEqual({ content: 'b' });
    expect(mergeFile('a', null, 'a')).toEqual({ content: null });
    expect(mergeFile(null, 'new', null)).toEqual({ content: 'new' });
    expect(mergeFile('a', null, 'changed')).toEqual({ conflict: true });
    expect(mergeFile(null, 'x', 'y')).toEqual({ conflict: true });
  });

  it('merges a project file by file and lists the files that need a person', () => {
    const base = { 'a.ts': 'a\n', 'b.ts': 'b\n', 'c.ts': 'c\n' };
    const mine = { 'a.ts': 'a mine\n', 'b.ts': 'b\n', 'c.ts': 'c mine\n', 'new.ts': 'n\n' };
    const theirs = { 'a.ts': 'a\n', 'c.ts': 'c theirs\n' };
    const r = mergeProjectFiles(base, mine, theirs);
    expect(r.files).toEqual({ 'a.ts': 'a mine\n', 'new.ts': 'n\n' });
    expect(r.conflicts).toEqual([{ path: 'c.ts', base: 'c\n', mine: 'c mine\n', theirs: 'c theirs\n' }]);
  });
});

/**
 * Generated edits: a base of numbered lines, and each side replacing, deleting or inserting
 * at positions of its own. New lines are unique to their side, so the line diff of each side
 * is the edit that made it.
 */
type Edit = { at: number; kind: 'replace' | 'delete' | 'insert'; tag?: string };
const baseArb = fc.integer({ min: 0, max: 30 }).map((n) => Array.from({ length: n }, (_, i) => `line ${i}`));
const editsArb = (n: number) =>
  fc.uniqueArray(fc.record({ at: fc.integer({ min: 0, max: Math.max(0, n - 1) }), kind: fc.constantFrom<Edit['kind']>('replace', 'delete', 'insert') }), {
    selector: (e) => e.at,
    maxLength: Math.min(6, n),
  });

function applyEdits(base: string[], edits: Edit[], tag: string): string[] {
  const out: string[] = [];
  base.forEach((line, i) => {
    const e = edits.find((x) => x.at === i);
    if (!e) return void out.push(line);
    if (e.kind === 'insert') out.push(`${e.tag ?? tag} inserted before ${i}`, line);
    else if (e.kind === 'replace') out.push(`${e.tag ?? tag} replaced ${i}`);
  });
  return out;
}

describe('mergeText properties', () => {
  const sides = baseArb.chain((base) => fc.tuple(fc.constant(base), editsArb(base.length), editsArb(base.length)));

  it('never loses a line either side added: resolved as "both", every added line is there', () => {
    fc.assert(
      fc.property(sides, ([base, mineEdits, theirEdits]) => {
        const [b, m, t] = [base, applyEdits(base, mineEdits, 'mine'), applyEdits(base, theirEdits, 'theirs')].map((l) => l.join('\n'));
        const r = mergeText(b!, m!, t!);
        const result = splitLines(
          resolveChunks(
            r.chunks,
            conflicts(r.chunks).map(() => 'both'),
          ),
        );
        for (const added of [...splitLines(m!), ...splitLines(t!)].filter((l) => / (inserted|replaced) /.test(l))) expect(result).toContain(added);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('merges edits at positions at least two lines apart silently, into exactly both edits', () => {
    const apart = sides.filter(([, mine, theirs]) => mine.every((a) => theirs.every((b) => Math.abs(a.at - b.at) >= 2)));
    fc.assert(
      fc.property(apart, ([base, mineEdits, theirEdits]) => {
        const r = mergeText(base.join('\n'), applyEdits(base, mineEdits, 'mine').join('\n'), applyEdits(base, theirEdits, 'theirs').join('\n'));
        expect(r.clean).toBe(true);
        const expected = applyEdits(base, [...mineEdits.map((e) => ({ ...e, tag: 'mine' })), ...theirEdits.map((e) => ({ ...e, tag: 'theirs' }))], '');
        expect(r.text).toBe(expected.join('\n'));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('is the identity when one side did nothing, and symmetric in which side is which', () => {
    fc.assert(
      fc.property(sides, ([base, mineEdits, theirEdits]) => {
        const [b, m, t] = [base, applyEdits(base, mineEdits, 'mine'), applyEdits(base, theirEdits, 'theirs')].map((l) => l.join('\n'));
        expect(mergeText(b!, m!, b!).text).toBe(m);
        expect(mergeText(b!, b!, t!).text).toBe(t);
        const ab = mergeText(b!, m!, t!);
        const ba = mergeText(b!, t!, m!);
        expect(ab.clean).toBe(ba.clean);
        if (ab.clean) expect(ab.text).toBe(ba.text);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
