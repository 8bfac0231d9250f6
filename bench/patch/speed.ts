import * as jsdiff from 'diff';
import { applyPatch } from '../../shared/src/patch/index.js';
import { referenceHunks, type SourceFile } from './corpus.js';
import { render } from './render.js';

export interface SpeedRow {
  scenario: string;
  lines: number;
  hunks: number;
  engineMs: number;
  jsdiffMs: number;
  /**
   * The output floor: joining the result's pieces (unchanged spans of the original and the
   * new lines, prepared outside the timing) and comparing it with the expected text, as the
   * timed runs do. Any applier that returns the patched text as a string pays at least this.
   */
  floorMs: number;
}

const RUNS = 101;
const WARMUP = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface BigFile {
  before: string;
  after: string;
  /** `after` as the pieces a minimal applier would join: original spans and edited lines. */
  pieces: string[];
}

/** A file of `count` real source lines, and `hunks` one-line edits spread evenly over it. */
function bigFile(corpus: readonly SourceFile[], count: number, hunks: number): BigFile {
  const lines: string[] = [];
  // The corpus again from the start when a size needs more lines than it has.
  for (let i = 0; lines.length < count; i++) lines.push(...corpus[i % corpus.length]!.text.split('\n'));
  // One join (a trailing '' gives the final newline): a flat string, like a file read from disk
  // or JSON. `join() + '\n'` would hand both appliers a two-piece rope instead.
  const before = [...lines.slice(0, count), ''].join('\n');
  const starts = [0];
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) starts.push(i + 1);
  const pieces: string[] = [];
  const step = count / hunks;
  let from = 0;
  for (let h = 0; h < hunks; h++) {
    const i = Math.floor(step / 2 + h * step);
    pieces.push(before.slice(starts[from], starts[i]), `${before.slice(starts[i], starts[i + 1]! - 1)} // edited ${h}\n`);
    from = i + 1;
  }
  pieces.push(before.slice(starts[from]));
  return { before, after: pieces.join(''), pieces };
}

/**
 * Medians of interleaved runs: one engine, jsdiff and floor run per round, so that drift in
 * the machine's speed (GC, other processes, CPU clocks) lands on all three alike. Small inputs
 * repeat each call `reps` times per sample so a sample is long enough to time.
 */
function timeInterleaved(fns: ReadonlyArray<() => boolean>, reps: number): number[] {
  const ts = fns.map(() => [] as number[]);
  for (let r = 0; r < WARMUP + RUNS; r++) {
    fns.forEach((fn, i) => {
      const t = performance.now();
      for (let k = 0; k < reps; k++) if (!fn()) throw new Error('speed benchmark: wrong result');
      if (r >= WARMUP) ts[i]!.push((performance.now() - t) / reps);
    });
  }
  return ts.map(median);
}

function measure(corpus: readonly SourceFile[], scenario: string, count: number, hunkCount: number, shift: number): SpeedRow {
  const { before, after, pieces } = bigFile(corpus, count, hunkCount);
  const hunks = referenceHunks(before, after);
  if (hunks.length !== hunkCount) throw new Error(`speed benchmark: expected ${hunkCount} hunks, got ${hunks.length}`);
  const patch = render(
    hunks.map((h) => ({ ...h, oldStart: h.oldStart + shift, newStart: h.newStart + shift })),
    { oldPath: 'big.js', newPath: 'big.js' },
  );
  const eng = () => applyPatch({ 'big.js': before }, patch).files['big.js'] === after;
  const js = () => jsdiff.applyPatch(before, patch) === after;
  const floor = () => pieces.join('') === after;
  const reps = Math.max(1, Math.round(2000 / count));
  const [engineMs, jsdiffMs, floorMs] = timeInterleaved([eng, js, floor], reps) as [number, number, number];
  return { scenario, lines: count, hunks: hunkCount, engineMs, jsdiffMs, floorMs };
}

/**
 * How fast this machine fills a new string of `kb` KB (MB/s, median of 31 joins). V8 puts
 * objects over 128 KB in their own pages, fresh from the OS each time: where page faults are
 * slow (a VM whose memory is reclaimed behind it) the large rows pay that, output floor included.
 */
function fillRate(kb: number): number {
  const piece = 'x'.repeat(1023);
  const pieces = Array.from({ length: kb }, () => `${piece}\n`);
  const ts: number[] = [];
  for (let r = 0; r < 31; r++) {
    const t = performance.now();
    if (pieces.join('').length !== kb * 1024) throw new Error('fill probe: wrong length');
    ts.push(performance.now() - t);
  }
  return kb / 1024 / (median(ts) / 1000);
}

/**
 * Engine vs jsdiff `applyPatch` on the same patch text (parse included for both) and the same
 * check of the result against the expected text: the 10,000-line file with 100 hunks (exact
 * numbers, and every number 20 lines off), then a sweep of sizes with exact numbers.
 */
export function speed(corpus: readonly SourceFile[]): {
  headline: SpeedRow;
  rows: SpeedRow[];
  sweep: SpeedRow[];
  fill: { smallMBs: number; largeMBs: number };
} {
  const rows = [measure(corpus, 'clean diff, exact numbers', 10_000, 100, 0), measure(corpus, 'numbers 20 lines off', 10_000, 100, 20)];
  const sizes: Array<[number, number]> = [
    [20, 1],
    [100, 1],
    [300, 3],
    [1_000, 10],
    [3_000, 30],
    [30_000, 300],
    [60_000, 100],
  ];
  const sweep = sizes.map(([lines, hunks]) => measure(corpus, `${lines.toLocaleString('en')} lines, ${hunks} hunks`, lines, hunks, 0));
  return { headline: rows[0]!, rows, sweep, fill: { smallMBs: fillRate(64), largeMBs: fillRate(512) } };
}

const ms = (x: number) => (x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(3)} ms`);

export function speedSection(s: ReturnType<typeof speed>): string[] {
  const row = (r: SpeedRow) =>
    `| ${r.scenario} | ${ms(r.engineMs)} | ${ms(r.jsdiffMs)} | ${(r.jsdiffMs / r.engineMs).toFixed(2)}× | ${ms(r.floorMs)} | ${(r.engineMs / r.floorMs).toFixed(2)}× |`;
  const head = ['| scenario | patchpad | jsdiff applyPatch | speedup | output floor | patchpad ÷ floor |', '|---|---|---|---|---|---|'];
  const slower = s.sweep.filter((r) => r.jsdiffMs < r.engineMs).map((r) => r.scenario);
  return [
    '### Speed',
    '',
    `Same patch text (parse included) and the same check of the result for both appliers, median of ${RUNS} interleaved runs.`,
    `"Output floor" joins the result's pieces, cut from the original outside the timing, and checks it: no applier that returns the new text as one string can beat it.`,
    '',
    ...head,
    ...s.rows.map(row),
    '',
    'Size sweep (exact numbers, one-line edits spread evenly):',
    '',
    ...head,
    ...s.sweep.map(row),
    '',
    slower.length === 0 ? 'jsdiff is faster at no size measured.' : `jsdiff is faster at: ${slower.join('; ')}.`,
    '',
    `This machine, in this run, fills a new 64 KB string at ${s.fill.smallMBs.toFixed(0)} MB/s and a new 512 KB one at ${s.fill.largeMBs.toFixed(0)} MB/s: ` +
      'V8 gives objects over 128 KB pages of their own, fresh from the OS, so where page faults are slow the rows above that size (the 3,000-line one on) are bound by them, the floor included, and their ratios to the floor shrink.',
  ];
}
