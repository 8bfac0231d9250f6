import * as jsdiff from 'diff';
import { applyPatch } from '../../shared/src/patch/index.js';
import { referenceHunks, type SourceFile } from './corpus.js';
import { render } from './render.js';

export interface SpeedResult {
  scenario: string;
  engineMs: number;
  jsdiffMs: number;
  speedup: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A 10,000-line file made of real source lines, and 100 one-line edits spread over it. */
function bigFile(corpus: readonly SourceFile[]): { before: string; after: string } {
  const lines: string[] = [];
  for (const f of corpus) {
    lines.push(...f.text.split('\n'));
    if (lines.length >= 10_000) break;
  }
  const before = lines.slice(0, 10_000);
  const after = [...before];
  for (let h = 0; h < 100; h++) after[50 + h * 100] = `${after[50 + h * 100]} // edited ${h}`;
  return { before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` };
}

function time(fn: () => boolean, runs: number): number {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    if (!fn()) throw new Error('speed benchmark: wrong result');
    ts.push(performance.now() - t);
  }
  return median(ts);
}

/**
 * Engine vs jsdiff `applyPatch` on the same patch text (parse included for both), median of
 * many runs in this process after a warm-up. Two patches: exact line numbers, and every number
 * 20 lines off (a common model error; both appliers still succeed).
 */
export function speed(corpus: readonly SourceFile[]): SpeedResult[] {
  const { before, after } = bigFile(corpus);
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
    time(eng, 10);
    time(js, 10);
    const engineMs = time(eng, 41);
    const jsdiffMs = time(js, 41);
    return { scenario, engineMs, jsdiffMs, speedup: jsdiffMs / engineMs };
  });
}
