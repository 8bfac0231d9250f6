import { describe, expect, it } from 'vitest';
import { buildTree, createProblem, pathProblem, renamePlan, renameProblem } from './tree';

const paths = ['package.json', 'src/App.tsx', 'src/lib/a.ts', 'src/lib/b.ts', 'public/index.html'];

describe('the file tree', () => {
  it('nests files under folders, folders first, and keeps empty folders the user made', () => {
    const tree = buildTree(paths, ['docs']);
    expect(tree.map((n) => `${n.kind}:${n.path}`)).toEqual(['folder:docs', 'folder:public', 'folder:src', 'file:package.json']);
    const src = tree.find((n) => n.path === 'src')!;
    expect(src.kind === 'folder' && src.children.map((n) => n.path)).toEqual(['src/lib', 'src/App.tsx']);
  });

  it('checks a new path with the API’s rules and against what exists, before any request', () => {
    expect(pathProblem('src/new.ts', paths)).toBeNull();
    expect(pathProblem('/abs.ts', paths)).toMatch(/relative/);
    expect(pathProblem('src/../x', paths)).toMatch(/"\.\."/);
    expect(pathProblem('src/App.tsx', paths)).toMatch(/already exists/);
    expect(pathProblem('src/lib', paths)).toMatch(/is a folder/);
    expect(pathProblem('package.json/x.ts', paths)).toMatch(/is a file/);
    expect(pathProblem('__proto__', paths)).toMatch(/reserved/);
    expect(
      createProblem(
        'one-too-many.ts',
        Array.from({ length: 500 }, (_, i) => `f${i}.ts`),
      ),
    ).toMatch(/at most 500 files/);
  });

  it('renames a folder by moving every file under it, and refuses a move onto an existing file', () => {
    const plan = renamePlan(paths, 'src/lib', 'src/util');
    expect([...plan]).toEqual([
      ['src/lib/a.ts', 'src/util/a.ts'],
      ['src/lib/b.ts', 'src/util/b.ts'],
    ]);
    expect(renameProblem(paths, plan)).toBeNull();
    expect(renameProblem(paths, renamePlan(paths, 'src/lib/a.ts', 'src/App.tsx'))).toMatch(/already exists/);
    expect(renameProblem(paths, renamePlan(paths, 'nothing', 'x'))).toMatch(/nothing/);
  });
});
