import * as jsdiff from 'diff';
import { applyPatch } from '../../shared/src/patch/index.js';
import { referenceHunks, type SourceFile } from './corpus.js';
import { render } from './render.js';

export interface SpeedResult {
  scenario: string;
  engineMs: number;
  jsdiffMs: number;
  speedup: number;
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

/** A 10,000-line file made of real source lines, and 100 one-line edits spread over it. */
function bigFile(corpus: readonly SourceFile[]): BigFile {
  const lines: string[] = [];
  for (const f of corpus) {
    lines.push(...f.text.split('\n'));
    if (lines.length >= 10_000) break;
  }
  // One join (a trailing '' gives the final newline): a flat string, like a file read from disk
  // or JSON. `join() + '\n'` would hand both appliers a two-piece rope instead.
  const before = [...lines.slice(0, 10_000), ''].join('\n');
  const starts = [0];
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) starts.push(i + 1);
  const after: string[] = [];
  const pieces: string[] = [];
  let from = 0;
  for (let h = 0; h < 100; h++) {
    const i = 50 + h * 100;
    pieces.push(before.slice(starts[from], starts[i]), `${before.slice(starts[i], starts[i + 1]! - 1)} // edited ${h}\n`);
    from = i + 1;
  }
  pieces.push(before.slice(starts[from]));
  after.push(...pieces);
  return { before, after: after.join(''), pieces };
}

/**
 * Medians of interleaved runs: one engine, jsdiff and floor run per round, so that drift in
 * the machine's speed (GC, other processes, CPU clocks) lands on all three alike.
 */
function timeInterleaved(fns: ReadonlyArray<() => boolean>): number[] {
  const ts = fns.map(() => [] as number[]);
  for (let r = 0; r < WARMUP + RUNS; r++) {
    fns.forEach((fn, i) => {
      const t = performance.now();
      if (!fn()) throw new Error('speed benchmark: wrong result');
      if (r >= WARMUP) ts[i]!.push(performance.now() - t);
    });
  }
  return ts.map(median);
}

/**
 * Engine vs jsdiff `applyPatch` on the same patch text (parse included for both) and the same
 * check of the result against the expected text. Two patches: exact line numbers, and every
 * number 20 lines off (a common model error; both appliers still succeed).
 */
export function speed(corpus: readonly SourceFile[]): SpeedResult[] {
  const { before, after, pieces } = bigFile(corpus);
  const hunks = referenceHunks(before, after);
  if (hunks.length !== 100) throw new Error(`speed benchmark: expected 100 hunks, got ${hunks.length}`);
  const scenarios: Array<[string, string]> = [
    ['clean diff, exact numbers', render(hunks, { oldPath: 'big.js', newPath: 'big.js' })],
    [
      'numbers 20 lines off',
      render(
        hunks.map((h) => ({ ...h, oldStart: h.oldStart + 20, newStart: h.newStart + 20 })),
        { oldPath: 'big.js', newPath: 'big.js' },
      ),
    ],
  ];
  return scenarios.map(([scenario, patch]) => {
    const eng = () => applyPatch({ 'big.js': before }, patch).files['big.js'] === after;
    const js = () => jsdiff.applyPatch(before, patch) === after;
    const floor = () => pieces.join('') === after;
    const [engineMs, jsdiffMs, floorMs] = timeInterleaved([eng, js, floor]) as [number, number, number];
    return { scenario, engineMs, jsdiffMs, speedup: jsdiffMs / engineMs, floorMs };
  });
}

export const SPEED_RUNS = RUNS;
