import ts from 'typescript';
import { TypeChecker } from '../../worker/src/pipeline/typecheck.js';
import { MODULES_ROOT } from '../../worker/src/pipeline/typecheck-project.js';
import { benchEdit, benchProject } from './project.js';

/**
 * `npm run bench:typecheck`: the worker's check-before-review on a 50-file React + TypeScript
 * project. Warm = the project's language service kept from earlier tasks (how the worker
 * runs); each round is one task: a small edit checked against the state before it, which then
 * becomes the project (as if accepted). Baselines in the same run: a cold check (a fresh
 * service, lib files already parsed in the process) and a whole-program `tsc --noEmit`
 * equivalent (createProgram + every file's diagnostics, the naive way to check a patch).
 * Last line: `typecheck warm_p50_ms=<x> warm_p95_ms=<y> cold_p50_ms=<z> full_program_p50_ms=<w> files=<n>`.
 */

const ROUNDS = Number(process.env.TYPECHECK_BENCH_ROUNDS ?? 40);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

function fullProgram(files: Record<string, string>): number {
  // Inside the repository, like the worker's virtual folder, so that react's types resolve.
  const root = `${MODULES_ROOT}/.patchpad-typecheck/full-program`;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    jsx: ts.JsxEmit.ReactJSX,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile;
  host.readFile = (p) => (p.startsWith(`${root}/`) ? files[p.slice(root.length + 1)] : read(p));
  host.fileExists = ((exists) => (p: string) => (p.startsWith(`${root}/`) ? p.slice(root.length + 1) in files : exists(p)))(host.fileExists);
  host.getCurrentDirectory = () => root;
  const t = performance.now();
  const program = ts.createProgram(
    Object.keys(files)
      .filter((p) => /\.tsx?$/.test(p))
      .map((p) => `${root}/${p}`),
    options,
    host,
  );
  ts.getPreEmitDiagnostics(program);
  return performance.now() - t;
}

function main(): void {
  let files = benchProject();
  const count = Object.keys(files).length;
  const checker = new TypeChecker({ maxProjects: 4 });
  const t0 = performance.now();
  const first = checker.check({ projectKey: 'bench', before: files, after: benchEdit(files, 0) });
  const firstMs = performance.now() - t0;
  const warm: number[] = [];
  const outcomes = new Map<string, number>();
  for (let i = 1; i <= ROUNDS; i++) {
    const after = benchEdit(files, i);
    const t = performance.now();
    const r = checker.check({ projectKey: 'bench', before: files, after });
    warm.push(performance.now() - t);
    outcomes.set(r.status, (outcomes.get(r.status) ?? 0) + 1);
    if (r.status !== 'new_errors') files = after;
  }
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = new TypeChecker();
    const t = performance.now();
    fresh.check({ projectKey: `cold-${i}`, before: files, after: benchEdit(files, i) });
    cold.push(performance.now() - t);
    fresh.dispose();
  }
  const full = Array.from({ length: 5 }, () => fullProgram(files));
  checker.dispose();
  const rows = [
    `## Type-check benchmark`,
    '',
    `${count}-file React + TypeScript project (bench/typecheck/project.ts), ${ROUNDS} tasks, each a small edit checked against the state before it.`,
    `First check in the process (lib files parsed, first: ${first.status}): ${firstMs.toFixed(0)} ms.`,
    '',
    '| check | p50 | p95 |',
    '|---|---|---|',
    `| warm (worker: kept language service, changed files and their importers) | ${pct(warm, 50).toFixed(1)} ms | ${pct(warm, 95).toFixed(1)} ms |`,
    `| fresh service for the project (lib files already parsed in the process) | ${pct(cold, 50).toFixed(1)} ms | ${pct(cold, 95).toFixed(1)} ms |`,
    `| whole program, every file (createProgram + diagnostics) | ${pct(full, 50).toFixed(1)} ms | ${pct(full, 95).toFixed(1)} ms |`,
    '',
    `Warm is ${(pct(full, 50) / pct(warm, 50)).toFixed(1)}× faster than checking the whole program. Outcomes: ${[...outcomes].map(([k, v]) => `${v} ${k}`).join(', ')}.`,
  ];
  console.log(rows.join('\n'));
  console.log(
    `typecheck warm_p50_ms=${pct(warm, 50).toFixed(1)} warm_p95_ms=${pct(warm, 95).toFixed(1)} cold_p50_ms=${pct(cold, 50).toFixed(1)} full_program_p50_ms=${pct(full, 50).toFixed(1)} files=${count}`,
  );
}

main();
