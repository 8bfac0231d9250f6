import { outcome, score, totals } from './score.js';
import { loadSets } from './sets.js';
import { engine, type Tool } from './tools.js';

/**
 * `npx tsx bench/patch/quick.ts`: the engine alone on both sets (seeds from the environment,
 * as bench:patch takes them), in seconds: bench:patch's own totals per set, and every wrong
 * case's category and file. For checking an engine change across seeds before the full bench.
 */
const { cases, gcases } = loadSets();
for (const [name, set] of [
  ['tuning', cases],
  ['general', gcases],
] as const) {
  const wrong: string[] = [];
  // The engine, noting each wrong apply as bench:patch's scoring runs it.
  const noting: Tool = {
    ...engine,
    run(c, i) {
      const got = engine.run(c, i);
      if (outcome(c, got) === 'wrong') wrong.push(`${c.category}\t${Object.keys(c.files).find((p) => p !== 'README.md')}`);
      return got;
    },
  };
  const t = totals(score(set, [noting], Infinity), noting.name, set);
  for (const w of wrong) console.log(`  wrong\t${name}\t${w}`);
  console.log(`${name}: correct_recoverable=${t.pct.toFixed(1)} (${t.recoverable.correct}/${t.recoverableCount}) wrong=${t.wrong}`);
}
