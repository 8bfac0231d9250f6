import { outcome } from './score.js';
import { loadSets } from './sets.js';
import { engine } from './tools.js';

/**
 * `npx tsx bench/patch/quick.ts`: the engine alone on both sets (seeds from the environment,
 * as bench:patch takes them), in seconds: correct / refused / wrong per set, and every wrong
 * case's category and file. For checking an engine change across seeds before the full bench.
 */
const { cases, gcases } = loadSets();
for (const [name, set] of [
  ['tuning', cases],
  ['general', gcases],
] as const) {
  let correct = 0;
  let recoverable = 0;
  let wrong = 0;
  set.forEach((c, i) => {
    const o = outcome(c, engine.run(c, i));
    if (c.recoverable) recoverable++;
    if (o === 'correct' && c.recoverable) correct++;
    if (o === 'wrong') {
      wrong++;
      console.log(`  wrong\t${name}\t${c.category}\t${Object.keys(c.files).find((p) => p !== 'README.md')}`);
    }
  });
  console.log(`${name}: correct_recoverable=${((100 * correct) / recoverable).toFixed(1)} (${correct}/${recoverable}) wrong=${wrong}`);
}
