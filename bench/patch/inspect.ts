import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPatch } from 'diff';
import { applyPatch, extractDiff } from '../../shared/src/patch/index.js';
import { makeCases } from './categories.js';
import { loadCorpus } from './corpus.js';
import { makeGeneralCases } from './general/cases.js';
import { loadGeneralCorpus } from './general/corpus.js';
import { Rng } from './rng.js';
import { outcome } from './score.js';
import { engine } from './tools.js';

/**
 * `npx tsx bench/patch/inspect.ts [general|tuning] [category] [out-dir]`: writes each case of
 * bench:patch's sets (same seeds, same corpus) that the engine gets wrong or refuses though it
 * is recoverable, one file per case: the conflicts, the patch, expected vs got, the file. Wrong
 * applies are always written, whatever the category.
 */
const [set = 'general', category, out = '/tmp/patch-inspect'] = process.argv.slice(2);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const rng = new Rng(Number(process.env.PATCH_BENCH_SEED ?? 20240501));
const corpus = loadCorpus(root, rng, 150);
const tuning = makeCases(corpus, rng, Number(process.env.PATCH_BENCH_CASES ?? 200));
const grng = new Rng(Number(process.env.PATCH_BENCH_GENERAL_SEED ?? 77031));
const general = loadGeneralCorpus(
  root,
  grng,
  corpus.map((f) => f.path),
);
const recoverable = Number(process.env.PATCH_BENCH_GENERAL_CASES ?? 60);
const cases = set === 'tuning' ? tuning : makeGeneralCases(general, grng, recoverable, Math.ceil(recoverable / 2));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let n = 0;
for (const [i, c] of cases.entries()) {
  const got = engine.run(c, i);
  const o = outcome(c, got);
  if (o === 'correct' || (o === 'refused' && !c.recoverable)) continue;
  if (category && c.category !== category && o !== 'wrong') continue;
  n++;
  const path = Object.keys(c.files).find((p) => p !== 'README.md')!;
  const conflicts = applyPatch(c.files, extractDiff(c.patch) ?? c.patch)
    .results.flatMap((f) => f.conflicts)
    .map((x) => `${x.reason}: ${x.message}`);
  const diff = got ? createPatch(path, c.expected?.[path] ?? '', got[path] ?? '', 'expected', 'got') : '(refused)\n';
  writeFileSync(
    `${out}/${o}-${n}.txt`,
    [`${c.category} ${o} ${path}`, ...conflicts, '=== patch', c.patch, '=== expected vs got', diff, '=== file', c.files[path]].join('\n'),
  );
  console.log(`${o}\t${c.category}\t${path}`);
}
console.log(`${n} cases written to ${out}`);
