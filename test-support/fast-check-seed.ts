import { execFileSync } from 'node:child_process';
import fc from 'fast-check';

/**
 * One fast-check seed for a whole test run, so a property failure can be replayed exactly:
 * `FC_SEED=<seed> npm test`. Without FC_SEED the seed is derived from the commit under test,
 * so CI on a given commit always explores the same cases (a re-run cannot turn red by luck),
 * while each new commit explores new ones. A suite that pins its own seed keeps it.
 */
export function runSeed(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.FC_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got "${fromEnv}"`);
    return seed;
  }
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return Number.parseInt(head.slice(0, 8), 16) | 0;
  } catch {
    return (Math.random() * 2 ** 31) | 0;
  }
}

/** vitest setup file: every property in the run uses the run's seed. */
export function configureFastCheck(): void {
  fc.configureGlobal({ seed: runSeed() });
}
