import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { createPatch } from './diff.js';

/**
 * Property tests for the lenient rules: elided context, partial indentation drift and odd
 * path headers apply correctly or are refused, never in the wrong place. The seed is logged
 * so that a failure can be replayed with FC_SEED=<seed> npm test.
 */
// The run's seed (vitest.config.ts sets it from FC_SEED or the commit under test).
const seed = Number(process.env.FC_SEED);
console.log(`leniency properties: fast-check seed ${seed} (replay with FC_SEED=${seed} npm test)`);
const params = (numRuns: number) => ({ seed, numRuns });

/** A tab-indented file's vocabulary: lines repeat, as real code does. */
const TAB_VOCAB = ['', '}', 'if (a) {', '\treturn x;', '\tcall(1);', '\tcall(2);', '\t\tdeep(a, b);', '\t}', 'const y = 3;', '// note', 'end()'];

const docArb = (vocab: readonly string[]) => fc.array(fc.constantFrom(...vocab), { minLength: 4, maxLength: 40 });
const editArb = (vocab: readonly string[]) =>
  fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat(3), ins: fc.array(fc.constantFrom(...vocab), { maxLength: 4 }) }), {
    minLength: 1,
    maxLength: 3,
  });

function edited(lines: string[], edits: Array<{ at: number; del: number; ins: string[] }>): string[] {
  const out = [...lines];
  for (const e of edits) out.splice(Math.floor(e.at * out.length), e.del, ...e.ins);
  return out;
}

const pairArb = (vocab: readonly string[]) =>
  fc
    .record({ lines: docArb(vocab), edits: editArb(vocab) })
    .map(({ lines, edits }) => ({ a: `${lines.join('\n')}\n`, b: `${edited(lines, edits).join('\n')}\n` }));

/** Rewrites the body lines of the diff's hunks (not its headers). */
function mapBody(patch: string, f: (line: string, i: number) => string | null): string {
  let inHunk = false;
  return patch
    .split('\n')
    .flatMap((l, i) => {
      if (l.startsWith('@@')) inHunk = true;
      else if (l.startsWith('diff ') || l.startsWith('--- ') || l.startsWith('+++ ')) inHunk = false;
      else if (inHunk && l !== '') {
        const out = f(l, i);
        return out === null ? [] : [out];
      }
      return [l];
    })
    .join('\n');
}

describe('lenient rules never apply in the wrong place', () => {
  it('elided context: a run of context replaced by a marker applies correctly or is refused', () => {
    const marker = fc.constantFrom('...', '// ... existing code ...', '/* ... */', '// ...');
    fc.assert(
      fc.property(pairArb(TAB_VOCAB), marker, fc.nat(), fc.integer({ min: 1, max: 3 }), ({ a, b }, m, pick, run) => {
        const clean = createPatch('src/f.ts', a, b, { context: 4 });
        fc.pre(clean !== '');
        const lines = clean.split('\n');
        const contexts = lines.map((l, i) => (l.startsWith(' ') ? i : -1)).filter((i) => i >= 0);
        fc.pre(contexts.length > 0);
        const from = contexts[pick % contexts.length]!;
        let to = from;
        while (to < from + run && lines[to]?.startsWith(' ')) to++;
        const damaged = [...lines.slice(0, from), ` ${m}`, ...lines.slice(to)].join('\n');
        const r = applyPatch({ 'src/f.ts': a }, damaged);
        expect(r.files['src/f.ts']).toBe(r.ok ? b : a);
      }),
      params(600),
    );
  });

  it('partial indentation drift: tabs written as spaces in context and removed lines only', () => {
    fc.assert(
      fc.property(pairArb(TAB_VOCAB), fc.constantFrom(2, 4, 8), ({ a, b }, width) => {
        const clean = createPatch('src/f.ts', a, b);
        fc.pre(clean !== '');
        const damaged = mapBody(clean, (l) => (l[0] === ' ' || l[0] === '-' ? l[0] + l.slice(1).replace(/^\t+/, (t) => ' '.repeat(t.length * width)) : l));
        const r = applyPatch({ 'src/f.ts': a }, damaged);
        expect(r.files['src/f.ts']).toBe(r.ok ? b : a);
      }),
      params(600),
    );
  });

  it('odd path headers: the change lands in the file meant, or nowhere', () => {
    const style = fc.constantFrom<(p: string) => string>(
      (p) => `i/${p}`,
      (p) => `/${p}`,
      (p) => p.replace(/\//g, '\\'),
      (p) => `my-app/${p}`,
      (p) => p.split('/').slice(1).join('/'),
      (p) => p.toUpperCase(),
      (p) => p.split('/').pop()!,
    );
    const files = {
      'src/a/index.ts': 'one\ntwo\nthree\n',
      'src/b/index.ts': 'one\ntwo\nthree\n',
      'src/b/util.ts': 'alpha\nbeta\ngamma\n',
      'lib/App.tsx': 'x\ny\nz\n',
    };
    const target = fc.constantFrom(...(Object.keys(files) as Array<keyof typeof files>));
    fc.assert(
      fc.property(target, style, (path, write) => {
        const before = files[path];
        const after = before.replace(/\n(\w+)\n$/, '\n$1 changed\n');
        const written = write(path);
        const patch = createPatch(path, before, after).replace(/^(diff --git|---|\+\+\+) .*$/gm, (l) =>
          l.replace(/[ab]\/\S+/g, written).replace(` a/${path}`, ` ${written}`),
        );
        const r = applyPatch(files, patch);
        expect(r.files).toEqual(r.ok ? { ...files, [path]: after } : files);
      }),
      params(300),
    );
  });
});
