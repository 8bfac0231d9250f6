import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCases, type Case } from './categories.js';
import { loadCorpus, type SourceFile } from './corpus.js';
import { makeGeneralCases } from './general/cases.js';
import { loadGeneralCorpus, type GeneralFile } from './general/corpus.js';
import { Rng } from './rng.js';

/** The repository root: its node_modules is the corpus. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** bench:patch's seeds and sizes, each overridable from the environment. */
export const SETTINGS = {
  seed: Number(process.env.PATCH_BENCH_SEED ?? 20240501),
  perCategory: Number(process.env.PATCH_BENCH_CASES ?? 200),
  generalSeed: Number(process.env.PATCH_BENCH_GENERAL_SEED ?? 77031),
  generalRecoverable: Number(process.env.PATCH_BENCH_GENERAL_CASES ?? 60),
};

/**
 * The tuning set and the generalisation set, built the same way for the benchmark and for
 * inspect.ts: each from its own seeded PRNG, the second from packages the first does not use.
 */
export function loadSets(): { corpus: SourceFile[]; cases: Case[]; gcorpus: GeneralFile[]; gcases: Case[] } {
  const rng = new Rng(SETTINGS.seed);
  const corpus = loadCorpus(ROOT, rng, 150);
  const cases = makeCases(corpus, rng, SETTINGS.perCategory);
  const grng = new Rng(SETTINGS.generalSeed);
  const gcorpus = loadGeneralCorpus(
    ROOT,
    grng,
    corpus.map((f) => f.path),
  );
  const gcases = makeGeneralCases(gcorpus, grng, SETTINGS.generalRecoverable, Math.ceil(SETTINGS.generalRecoverable / 2));
  return { corpus, cases, gcorpus, gcases };
}
