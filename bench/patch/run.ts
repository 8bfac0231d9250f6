import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORIES } from './categories.js';
import { speed, speedSection } from './speed.js';
import { score, table, totals } from './score.js';
import { engine, gitApply, gnuPatch, jsdiffFuzzy, jsdiffStrict, type Tool } from './tools.js';
import { GENERAL_CATEGORIES } from './general/cases.js';
import { updateReadme } from './readme.js';
import { loadSets, ROOT, SETTINGS } from './sets.js';

/**
 * `npm run bench:patch`: builds a corpus of real edits of real files from node_modules, damages
 * the diffs per category, and counts correct / refused / wrong for the engine and the usual
 * appliers, all in this run; then the same for the generalisation set (another corpus, another
 * defect generator, never tuned on) and the speed tables. Writes RESULTS.md, regenerates the
 * README's section from it, and prints last
 * `patch correct_recoverable=<x> wrong=<n> general_correct=<y> general_wrong=<m> floor_ratio=<r>`.
 */

const PER_CATEGORY_PROCESS = Number(process.env.PATCH_BENCH_PROCESS_CASES ?? 40);
const GENERAL_PROCESS = 20;

function main(): void {
  const t0 = performance.now();
  const { corpus, cases, gcorpus, gcases } = loadSets();
  const gnu = gnuPatch();
  const git = gitApply();
  const tools: Tool[] = [engine, jsdiffStrict, jsdiffFuzzy, gnu, git];
  const tally = score(cases, tools, PER_CATEGORY_PROCESS);

  const gtools: Tool[] = [engine, jsdiffFuzzy, gnu];
  const gtally = score(gcases, gtools, GENERAL_PROCESS);
  for (const p of [gnu, git]) p.cleanup();

  const speeds = speed(corpus);
  const eng = totals(tally, engine.name, cases);
  const gen = totals(gtally, engine.name, gcases);
  const kinds = new Map<string, number>();
  for (const f of gcorpus) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const text = [
    `## Patch engine benchmark`,
    '',
    '### Tuning set',
    '',
    `Corpus: ${cases.length} cases from ${corpus.length} real source files in node_modules (seed ${SETTINGS.seed}); edits by a seeded PRNG, reference diffs by jsdiff \`structuredPatch\`, then damaged per category.`,
    `Cells: correct / refused / wrong. "correct" = the exact expected file set; for the *(want refusal)* rows the right outcome is "refused" and any apply counts as wrong.`,
    `no_line_numbers only uses edits whose hunks occur once in the file: with no number, repeated lines are the ambiguous_no_numbers row's business. Other rows keep every edit, repeated lines included.`,
    `GNU patch and git apply spawn a process per case, so they run on the first ${PER_CATEGORY_PROCESS} cases of each category; a failure exit status counts as refused (GNU patch may still have applied some hunks).`,
    '',
    ...table(cases, tools, tally, Object.keys(CATEGORIES), PER_CATEGORY_PROCESS),
    '',
    '### Generalisation set (never tuned on)',
    '',
    `Corpus: ${gcases.length} cases from ${gcorpus.length} other real files (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; packages the tuning corpus uses are excluded; seed ${SETTINGS.generalSeed}).`,
    "Edits add nested blocks, wraps and JSX elements in the file's own indentation; the damage follows the issue's descriptions (bench/patch/general/). Rows marked *(want refusal)* are genuinely ambiguous or stale: one place cannot be told from another.",
    '',
    ...table(gcases, gtools, gtally, Object.keys(GENERAL_CATEGORIES), GENERAL_PROCESS),
    '',
    ...speedSection(speeds),
    '',
    `Run time: ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench/patch/RESULTS.md'), text);
  console.log(text);
  void updateReadme(ROOT, text).then((changed) => {
    console.log(changed ? 'README.md: patch-bench section regenerated from RESULTS.md' : 'README.md: patch-bench section unchanged');
    const ratio = speeds.headline.engineMs / speeds.headline.floorMs;
    console.log(
      `patch correct_recoverable=${eng.pct.toFixed(1)} wrong=${eng.wrong} general_correct=${gen.pct.toFixed(1)} general_wrong=${gen.wrong} floor_ratio=${ratio.toFixed(2)}`,
    );
  });
}

main();
