import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createPatch } from 'diff';
import { applyPatch, extractDiff } from '../../shared/src/patch/index.js';
import { outcome } from './score.js';
import { loadSets } from './sets.js';
import { engine } from './tools.js';

/**
 * `npx tsx bench/patch/inspect.ts [general|tuning] [category] [out-dir]`: writes each case of
 * bench:patch's sets (same seeds, same corpus) that the engine gets wrong or refuses though it
 * is recoverable, one file per case: the conflicts, the patch, expected vs got, the file. Wrong
 * applies are always written, whatever the category.
 */
const [set = 'general', category, out = '/tmp/patch-inspect'] = process.argv.slice(2);
const { cases: tuning, gcases: general } = loadSets();
const cases = set === 'tuning' ? tuning : general;
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
