import { afterAll, describe, expect, it } from 'vitest';
import { STARTER_FILES } from '@patchpad/shared';
import { affectedFiles, formatTypeErrors, TypeChecker } from './typecheck';
import { newErrors, type LocatedError } from './typecheck-diff';

const err = (over: Partial<LocatedError>): LocatedError => ({ path: 'a.ts', line: 1, column: 1, code: 2322, message: 'bad', lineText: 'x = 1;', ...over });

describe('newErrors: only errors the patch introduced', () => {
  it('matches errors that moved with their line, and counts a copied one as new', () => {
    const before = [err({ line: 3 }), err({ line: 9, code: 2339, message: 'no prop', lineText: 'a.b' })];
    const after = [err({ line: 5 }), err({ line: 11, code: 2339, message: 'no prop', lineText: 'a.b' }), err({ line: 20 })];
    expect(newErrors(before, after)).toEqual([err({ line: 20 })]);
  });

  it('keeps an old error whose line the patch edited, and sees errors of a renamed file as the same', () => {
    const before = [err({ lineText: 'x = 1;' }), err({ path: 'old.ts', code: 2304, message: "Cannot find name 'y'.", lineText: 'y();' })];
    const after = [err({ lineText: 'x = 1; // touched' }), err({ path: 'new.ts', code: 2304, message: "Cannot find name 'y'.", lineText: 'y();' })];
    expect(newErrors(before, after, new Map([['new.ts', 'old.ts']]))).toEqual([]);
  });
});

describe('affectedFiles', () => {
  it('is the changed files and their importers, and importers of files that re-export them', () => {
    const before = {
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from './a';\n",
      'src/c.tsx': "import './b';\n",
      'src/index.ts': "export { a } from './a';\n",
      'src/app.ts': "import { a } from './index';\n",
      'src/d.ts': 'x\n',
      'README.md': '',
    };
    const after = { ...before, 'src/a.ts': 'export const a = "1";\n' };
    expect(affectedFiles(before, after)).toEqual(['src/a.ts', 'src/app.ts', 'src/b.ts', 'src/index.ts']);
  });
});

describe('TypeChecker on real TypeScript, in memory', () => {
  const checker = new TypeChecker({ maxProjects: 2 });
  afterAll(() => checker.dispose());

  it('passes a patch that keeps the starter project type-correct', () => {
    const after = { ...STARTER_FILES, 'src/App.tsx': STARTER_FILES['src/App.tsx']!.replace('Hello from', 'Hi from') };
    const r = checker.check({ projectKey: 'starter', before: STARTER_FILES, after });
    expect(r).toMatchObject({ status: 'passed', errors: [] });
  });

  it("reports the compiler's error for a patch that breaks a type, in the file that uses it", () => {
    const after = { ...STARTER_FILES, 'src/App.tsx': STARTER_FILES['src/App.tsx']!.replace('<Counter start={0} />', '<Counter start="zero" />') };
    const r = checker.check({ projectKey: 'starter', before: STARTER_FILES, after });
    expect(r.status).toBe('new_errors');
    expect(r.errors).toEqual([
      expect.objectContaining({ path: 'src/App.tsx', code: 2322, message: expect.stringMatching(/'string' is not assignable to type 'number'/) }),
    ]);
    expect(formatTypeErrors(r.errors)[0]).toMatch(/^src\/App\.tsx:\d+:\d+ error TS2322: /);
  });

  it('counts only new errors when the project had errors before the patch', () => {
    const broken = {
      'src/a.ts': 'export const n: number = "one";\nexport function twice(x: number) {\n  return x * 2;\n}\n',
      'src/b.ts': "import { twice } from './a';\nexport const four = twice(2);\n",
    };
    const after = {
      ...broken,
      'src/a.ts': `// a comment moves every line\n${broken['src/a.ts']}`,
      'src/b.ts': "import { twice } from './a';\nexport const four = twice('2');\n",
    };
    const r = checker.check({ projectKey: 'broken', before: broken, after });
    expect(r.errors.map((e) => [e.path, e.code])).toEqual([['src/b.ts', 2345]]);
  });

  it('counts a relative import of a missing file, not a package this machine lacks or a stylesheet', () => {
    const before = { 'src/a.ts': 'export const a = 1;\n' };
    const after = {
      'src/a.ts': "import confetti from 'canvas-confetti';\nimport './a.css';\nimport { b } from './missing';\nexport const a = 1;\nconfetti(b);\n",
    };
    const r = checker.check({ projectKey: 'imports', before, after });
    expect(r.errors.map((e) => e.code)).toEqual([2307]);
    expect(r.errors[0]!.message).toMatch(/'\.\/missing'/);
  });

  it("reads the project's tsconfig.json (here: strict off, so an implicit any is fine)", () => {
    const files = { 'tsconfig.json': '{ "compilerOptions": { "strict": false, /* comments allowed */ } }', 'src/a.ts': 'export const a = 1;\n' };
    const r = checker.check({ projectKey: 'loose', before: files, after: { ...files, 'src/a.ts': 'export function f(x) {\n  return x;\n}\n' } });
    expect(r.status).toBe('passed');
  });

  it("never reads the worker's own files outside node_modules, whatever the project imports", () => {
    const before = { 'src/a.ts': 'export const a = 1;\n' };
    // The worker's package.json exists on disk a few folders up from the virtual project.
    const probe = "import pkg from '../../../worker/package.json';\nexport const a: number = pkg.name;\n";
    const r = checker.check({ projectKey: 'probe', before, after: { 'src/a.ts': probe } });
    expect(r.errors.map((e) => e.code)).toEqual([2307]);
    expect(JSON.stringify(r.errors)).not.toMatch(/@patchpad\/worker/);
  });

  it('is skipped when the patch touches no TypeScript file', () => {
    const r = checker.check({ projectKey: 'css', before: { 'a.css': 'a{}' }, after: { 'a.css': 'b{}' } });
    expect(r).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no TypeScript file/) });
  });
});
