import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, makeCases, type Case } from './categories.js';
import { loadCorpus } from './corpus.js';
import { Rng } from './rng.js';
import { speed, SPEED_RUNS } from './speed.js';
import { engine, gitApply, gnuPatch, jsdiffFuzzy, jsdiffStrict, type Tool, type ToolResult } from './tools.js';

/**
 * `npm run bench:patch`: builds a corpus of real edits of real files from node_modules, damages
 * the diffs per category, and counts correct / refused / wrong for the engine and the usual
 * appliers, all in this run. Prints a markdown table (also written to RESULTS.md) and, last,
 * `patch correct_recoverable=<percent> wrong=<count> speedup_vs_jsdiff=<x>`.
 */

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
const SEED = Number(process.env.PATCH_BENCH_SEED ?? 20240501);
const PER_CATEGORY = Number(process.env.PATCH_BENCH_CASES ?? 200);
const PER_CATEGORY_PROCESS = Number(process.env.PATCH_BENCH_PROCESS_CASES ?? 40);

type Outcome = 'correct' | 'refused' | 'wrong';
type Tally = Record<Outcome, number>;

function sameSet(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function outcome(c: Case, r: ToolResult): Outcome {
  if (r === null) return 'refused';
  if (c.expected === null) return 'wrong';
  return sameSet(r, c.expected) ? 'correct' : 'wrong';
}

function main(): void {
  const t0 = performance.now();
  const rng = new Rng(SEED);
  const corpus = loadCorpus(ROOT, rng, 150);
  const cases = makeCases(corpus, rng, PER_CATEGORY);
  const process_ = [gnuPatch(), gitApply()];
  const tools: Tool[] = [engine, jsdiffStrict, jsdiffFuzzy, ...process_];
  const tally = new Map<string, Tally>(); // `${tool}\u0000${category}`
  const seen = new Map<string, number>();
  cases.forEach((c, i) => {
    const n = (seen.get(c.category) ?? 0) + 1;
    seen.set(c.category, n);
    for (const tool of tools) {
      if (tool.slow && n > PER_CATEGORY_PROCESS) continue;
      const key = `${tool.name}\u0000${c.category}`;
      const t = tally.get(key) ?? { correct: 0, refused: 0, wrong: 0 };
      t[outcome(c, tool.run(c, i))]++;
      tally.set(key, t);
    }
  });
  for (const p of process_) p.cleanup();
  const speeds = speed(corpus);
  const table = report(cases, tools, tally, corpus.length, speeds, (performance.now() - t0) / 1000);
  writeFileSync(join(here, 'RESULTS.md'), table);
  console.log(table);
  const eng = totals(tally, engine.name, cases);
  const pct = (100 * eng.recoverable.correct) / Math.max(1, eng.recoverableCount);
  const clean = speeds[0]!;
  console.log(
    `speed: ${clean.speedup.toFixed(2)}x jsdiff; output floor ${clean.floorMs.toFixed(3)} ms, so no string-returning applier exceeds ${(clean.jsdiffMs / clean.floorMs).toFixed(2)}x here`,
  );
  console.log(`patch correct_recoverable=${pct.toFixed(1)} wrong=${eng.wrong} speedup_vs_jsdiff=${clean.speedup.toFixed(2)}`);
}

function totals(tally: Map<string, Tally>, tool: string, cases: Case[]) {
  const recoverable: Tally = { correct: 0, refused: 0, wrong: 0 };
  const unrecoverable: Tally = { correct: 0, refused: 0, wrong: 0 };
  const categories = new Map(cases.map((c) => [c.category, c.recoverable]));
  for (const [category, isRecoverable] of categories) {
    const t = tally.get(`${tool}\u0000${category}`);
    if (!t) continue;
    const into = isRecoverable ? recoverable : unrecoverable;
    for (const k of ['correct', 'refused', 'wrong'] as const) into[k] += t[k];
  }
  const recoverableCount = recoverable.correct + recoverable.refused + recoverable.wrong;
  return { recoverable, unrecoverable, recoverableCount, wrong: recoverable.wrong + unrecoverable.wrong };
}

const cell = (t: Tally | undefined) => (t ? `${t.correct} / ${t.refused} / ${t.wrong}` : '–');

function report(cases: Case[], tools: Tool[], tally: Map<string, Tally>, files: number, speeds: ReturnType<typeof speed>, seconds: number): string {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
  const recoverable = new Map(cases.map((c) => [c.category, c.recoverable]));
  const head = `| category | cases | ${tools.map((t) => (t.slow ? `${t.name} (first ${PER_CATEGORY_PROCESS})` : t.name)).join(' | ')} |`;
  const rows = Object.keys(CATEGORIES)
    .filter((c) => counts.has(c))
    .map(
      (c) =>
        `| ${c}${recoverable.get(c) ? '' : ' *(want refusal)*'} | ${counts.get(c)} | ${tools.map((t) => cell(tally.get(`${t.name}\u0000${c}`))).join(' | ')} |`,
    );
  const summary = tools.map((t) => {
    const s = totals(tally, t.name, cases);
    return `${((100 * s.recoverable.correct) / Math.max(1, s.recoverableCount)).toFixed(1)}% correct, ${s.wrong} wrong`;
  });
  return [
    `## Patch engine benchmark`,
    '',
    `Corpus: ${cases.length} cases from ${files} real source files in node_modules (seed ${SEED}); edits by a seeded PRNG, reference diffs by jsdiff \`structuredPatch\`, then damaged per category.`,
    `Cells: correct / refused / wrong. "correct" = the exact expected file set; for the *(want refusal)* rows the right outcome is "refused" and any apply counts as wrong.`,
    `no_line_numbers only uses edits whose hunks occur once in the file: with no number, repeated lines are the ambiguous_no_numbers row's business. Other rows keep every edit, repeated lines included.`,
    `GNU patch and git apply spawn a process per case, so they run on the first ${PER_CATEGORY_PROCESS} cases of each category; a failure exit status counts as refused (GNU patch may still have applied some hunks).`,
    '',
    `${head}`,
    `|---|---|${tools.map(() => '---|').join('')}`,
    ...rows,
    `| **recoverable: correct %, all: wrong** | | ${summary.join(' | ')} |`,
    '',
    `Speed, 10,000-line file, 100 hunks, same patch text (parse included) and the same check of the result, median of ${SPEED_RUNS} interleaved runs.`,
    `"Output floor" joins the result's pieces, cut from the original outside the timing, and checks it: no applier that returns the new text as one string can beat it, so jsdiff ÷ floor is the largest speedup any such applier could show here.`,
    '',
    '| scenario | patchpad | jsdiff applyPatch | speedup | output floor | largest possible speedup |',
    '|---|---|---|---|---|---|',
    ...speeds.map(
      (s) =>
        `| ${s.scenario} | ${s.engineMs.toFixed(3)} ms | ${s.jsdiffMs.toFixed(3)} ms | ${s.speedup.toFixed(2)}× | ${s.floorMs.toFixed(3)} ms | ${(s.jsdiffMs / s.floorMs).toFixed(2)}× |`,
    ),
    '',
    `Run time: ${seconds.toFixed(1)} s.`,
    '',
  ].join('\n');
}

main();
