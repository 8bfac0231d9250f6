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
});
