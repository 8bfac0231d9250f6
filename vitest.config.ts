import { defineConfig } from 'vitest/config';
import { runSeed } from './test-support/fast-check-seed';

// Fixed once here so that every test worker (they inherit the environment) uses the same seed.
process.env.FC_SEED = String(runSeed());
console.log(`fast-check seed ${process.env.FC_SEED} (replay: FC_SEED=${process.env.FC_SEED} npm test)`);
const setupFiles = ['test-support/fast-check-setup.ts'];

// Three projects, cheapest first: `unit` needs nothing running; `integration` needs Redis and
// the Firebase Auth emulator; `browser` needs Debian chromium too. scripts/test.ts starts what
// each needs before calling vitest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          setupFiles,
          environment: 'node',
          // Property suites run thousands of cases; on two busy cores they can pass 5 s.
          // Speed is the benchmarks' business, so a slow run must not read as a failure.
          testTimeout: 30_000,
          include: [
            '{shared,backend,worker,frontend}/src/**/*.test.{ts,tsx}',
            'frontend/preview-runtime/{src,server,packages}/**/*.test.ts',
            'test/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          setupFiles,
          environment: 'node',
          include: ['{backend,worker}/test/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          setupFiles,
          environment: 'node',
          include: ['frontend/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // What a person would wait for, not Vitest's 1 s: a cold preview build alone took
          // 1-3 s on a loaded CI machine, and a poll that gave up first failed at random.
          expect: { poll: { timeout: 15_000 } },
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
