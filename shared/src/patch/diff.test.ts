import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPatch } from './diff.js';
import { ADD, diffLines, EQUAL, REMOVE } from './myers.js';

describe('createPatch', () => {
  it('writes git-style headers, merged hunks and removals before additions', () => {
    const a = 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n';
    const b = 'function a() {\n  return 10;\n}\n\nfunction b() {\n  const x = 2;\n  return x;\n}\n';
    expect(createPatch('src/x.ts', a, b)).toBe(
      'diff --git a/src/x.ts b/src/x.ts\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1,7 +1,8 @@\n function a() {\n-  return 1;\n+  return 10;\n }\n \n function b() {\n-  return 2;\n+  const x = 2;\n+  return x;\n }\n',
    );
  });

  it('splits hunks farther apart than twice the context', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n';
    const b = a.replace('l2\n', 'L2\n').replace('l25\n', 'L25\n');
    expect(createPatch('f', a, b).match(/^@@.*$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -23,7 +23,7 @@']);
    expect(createPatch('f', a, b, { context: 0 }).match(/^@@.*$/gm)).toEqual(['@@ -3 +3 @@', '@@ -26 +26 @@']);
  });

  it.each([
    ['creation', null, 'a\n', 'diff --git a/n b/n\nnew file mode 100644\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+a\n'],
    ['deletion', 'a\n', null, 'diff --git a/n b/n\ndeleted file mode 100644\n--- a/n\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n'],
    ['an added final newline', 'a', 'a\n', 'diff --git a/n b/n\n--- a/n\n+++ b/n\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n'],
    ['an empty new file', null, '', 'diff --git a/n b/n\nnew file mode 100644\n'],
    ['no change', 'a\n', 'a\n', ''],
  ])('writes %s', (_name, before, after, want) => {
    expect(createPatch('n', before, after)).toBe(want);
  });

  it('writes a rename', () => {
    expect(createPatch('new.ts', 'x\n', 'x\n', { oldPath: 'old.ts' })).toBe('diff --git a/old.ts b/new.ts\nrename from old.ts\nrename to new.ts\n');
  });
});

describe('diffLines', () => {
  it('is an edit script from A to B whose kept lines are a common subsequence', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '}'), { maxLength: 60 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        const rebuilt: string[] = [];
        let removed = 0;
        for (const op of ops) {
          if (op.kind === EQUAL) {
            expect(a[op.a]).toBe(b[op.b]);
            rebuilt.push(b[op.b]!);
          } else if (op.kind === ADD) rebuilt.push(b[op.b]!);
          else if (op.kind === REMOVE) removed++;
        }
        expect(rebuilt).toEqual(b);
        expect(ops.filter((o) => o.kind !== ADD).length).toBe(a.length);
        expect(removed).toBe(a.length - ops.filter((o) => o.kind === EQUAL).length);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a minimal script when lines are unique (an LCS)', () => {
    const a = ['x', 'a', 'b', 'c', 'y'];
    const b = ['a', 'q', 'b', 'c', 'z'];
    expect(diffLines(a, b).filter((o) => o.kind === EQUAL)).toHaveLength(3);
  });
});
