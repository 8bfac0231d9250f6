import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { applyClean } from './clean.js';
import { createPatch } from './diff.js';

/**
 * The clean lane must return exactly what the engine returns. Files from a small vocabulary
 * (lines repeat, as in code); diffs made by createPatch, sometimes with a section name, a
 * second file, numbers moved or a removed line changed, which the lane must leave to the engine.
 */
// The run's seed (vitest.config.ts sets it from FC_SEED or the commit under test).
const seed = Number(process.env.FC_SEED);
console.log(`clean lane: fast-check seed ${seed} (replay with FC_SEED=${seed} npm test)`);

const VOCAB = ['', '}', '  return x;', 'if (a) {', '  call(1);', 'const y = 3;', '// note', '\tdeep();'];
const docArb = fc.array(fc.constantFrom(...VOCAB), { minLength: 1, maxLength: 30 }).map((l) => `${l.join('\n')}\n`);
const editArb = fc.array(fc.record({ at: fc.nat(30), del: fc.nat(3), ins: fc.array(fc.constantFrom(...VOCAB, 'added();'), { maxLength: 3 }) }), {
  minLength: 1,
  maxLength: 4,
});

function edit(doc: string, edits: Array<{ at: number; del: number; ins: string[] }>): string {
  const lines = doc.slice(0, -1).split('\n');
  for (const e of edits) lines.splice(e.at % (lines.length + 1), e.del, ...e.ins);
  return `${lines.join('\n')}\n`;
}

const damage = fc.constantFrom<(p: string) => string>(
  (p) => p,
  (p) => p.replace(/^@@ (.*) @@$/m, '@@ $1 @@ function section()'),
  (p) => p.replace(/^@@ -(\d+)/m, (_m, n) => `@@ -${Number(n) + 1}`),
  (p) => p.replace(/^-(.*)$/m, '-$1 stale'),
  (p) => p.replace(/^ (.*)$/m, '$1'),
  (p) => `${p}\nThat is all.\n`,
);

describe('clean lane', () => {
  it('gives exactly the engine’s result, or leaves the diff to the engine', () => {
    let taken = 0;
    fc.assert(
      fc.property(docArb, editArb, docArb, damage, (a, edits, other, hurt) => {
        const b = edit(a, edits);
        fc.pre(a !== b);
        const files = { 'src/a.ts': a, 'src/b.ts': other };
        const patch = hurt(createPatch('src/a.ts', a, b) + (other.length > 12 ? createPatch('src/b.ts', other, `${other}tail();\n`) : ''));
        const lane = applyClean(files, patch);
        if (lane === null) return;
        taken++;
        const engine = applyPatch(files, patch, { fastPath: false });
        expect(JSON.parse(JSON.stringify(lane))).toEqual(JSON.parse(JSON.stringify(engine)));
      }),
      { seed, numRuns: 800 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('leaves CRLF files, files without a final newline, and prose to the engine', () => {
    const p = createPatch('a.ts', 'x\ny\n', 'x\nY\n');
    expect(applyClean({ 'a.ts': 'x\ny\n' }, p)).not.toBeNull();
    expect(applyClean({ 'a.ts': 'x\r\ny\r\n' }, p)).toBeNull();
    expect(applyClean({ 'a.ts': 'x\ny' }, createPatch('a.ts', 'x\ny', 'x\nY'))).toBeNull();
    expect(applyClean({ 'a.ts': 'x\ny\n' }, `Here:\n${p}`)).toBeNull();
  });

  /** The lane takes the diff (or refuses it, per `taken`) and, when it takes it, equals the engine. */
  function same(files: Record<string, string>, patch: string, taken: boolean): void {
    const lane = applyClean(files, patch);
    expect(lane !== null).toBe(taken);
    if (lane === null) return;
    const engine = applyPatch(files, patch, { fastPath: false });
    expect(engine.ok).toBe(true);
    expect(JSON.parse(JSON.stringify(lane))).toEqual(JSON.parse(JSON.stringify(engine)));
  }

  const lines = (n: number, f = (i: number) => `line ${i};`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');
  const header = '--- a/a.ts\n+++ b/a.ts\n';

  it('equals the engine at the edges of the file: first line, last line, deletion to the end', () => {
    const a = lines(12);
    same({ 'a.ts': a }, createPatch('a.ts', a, a.replace('line 1;', 'line one;')), true);
    same({ 'a.ts': a }, createPatch('a.ts', a, a.replace('line 12;', 'line twelve;')), true);
    same({ 'a.ts': a }, createPatch('a.ts', a, lines(9)), true);
    same({ 'a.ts': a }, createPatch('a.ts', a, `${a}line 13;\n`), true);
    same({ 'a.ts': 'x\n' }, createPatch('a.ts', 'x\n', ''), true);
  });

  it('equals the engine on adjacent hunks and refuses overlapping or out-of-order ones', () => {
    const a = lines(6);
    const h1 = '@@ -1,2 +1,2 @@\n-line 1;\n+line one;\n line 2;\n';
    const h2 = '@@ -3,2 +3,2 @@\n line 3;\n-line 4;\n+line four;\n';
    same({ 'a.ts': a }, header + h1 + h2, true);
    same({ 'a.ts': a }, header + h2 + h1, false);
    same({ 'a.ts': a }, `${header}${h1}@@ -2,2 +2,2 @@\n line 2;\n-line 3;\n+line three;\n`, false);
  });

  it('leaves pure insertions, empty files, markers and bad counts to the engine', () => {
    const a = lines(6);
    same({ 'a.ts': a }, `${header}@@ -2,0 +3 @@\n+inserted;\n`, false);
    same({ 'a.ts': '' }, createPatch('a.ts', '', 'x\n'), false);
    same({ 'a.ts': a }, createPatch('a.ts', a, a.slice(0, -1)), false);
    same({ 'a.ts': a }, `${header}@@ -1,3 +1,2 @@\n-line 1;\n+line one;\n line 2;\n`, false);
    same({ 'a.ts': a }, `${header}@@ -1,2 +1,2 @@\n-line 1;\n+line one;\n line 2;\n line 3;\n`, false);
    same({ 'a.ts': a }, `${header}@@ -6,2 +6,2 @@\n-line 6;\n+line six;\n line 7;\n`, false);
    same({ 'a.ts': a }, `${header}@@ -9,1 +9,1 @@\n-line 9;\n+line nine;\n`, false);
  });

  it("refuses '\\r' anywhere in the file or the diff", () => {
    const p = createPatch('a.ts', 'x\ny\n', 'x\nY\n');
    same({ 'a.ts': 'x\ny\r\n' }, p, false);
    same({ 'a.ts': 'x\ny\nz\rw\n' }, p, false);
    same({ 'a.ts': 'x\ny\n' }, p.replace('+Y\n', '+Y\r\n'), false);
  });

  it('equals the engine on a diff whose last line has no newline, and on surrogates', () => {
    const a = lines(5);
    same({ 'a.ts': a }, createPatch('a.ts', a, a.replace('line 5;', 'line five;')).slice(0, -1), true);
    const emoji = lines(20, (i) => (i % 3 === 0 ? `'\u{1F600}${i}\uD800'` : `é${i}`));
    same({ 'a.ts': emoji }, createPatch('a.ts', emoji, emoji.replace('é10', 'e10')), true);
  });

  it('counts lines exactly across long gaps (the multi-line skips)', () => {
    const a = lines(2100);
    for (const at of [1, 8, 9, 16, 511, 512, 513, 1023, 1024, 1025, 2047, 2100]) {
      const b = a.replace(`\nline ${at};\n`, `\nline ${at} edited;\n`).replace(/^line 1;\n/, at === 1 ? 'line 1 edited;\n' : 'line 1;\n');
      same({ 'a.ts': a }, createPatch('a.ts', a, b), true);
      const off = (d: number) => createPatch('a.ts', a, b).replace(/^@@ -(\d+)/m, (_m, n: string) => `@@ -${Number(n) + d}`);
      same({ 'a.ts': a }, off(1), false);
      same({ 'a.ts': a }, off(-1), false);
    }
    same({ 'a.ts': a }, `${header}@@ -2101,1 +2101,1 @@\n-line 2101;\n+x\n`, false);
  });
});
