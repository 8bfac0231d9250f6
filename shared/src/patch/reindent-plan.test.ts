import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';

/**
 * Added lines of a hunk whose context was re-indented: which are already in the file's style.
 * Each case: the file, the diff body (after a `@@ -1,N +1,M @@` header) and the expected file,
 * or null for a refusal.
 */
const T = '\t';
const run = (file: string, body: string) => {
  const r = applyPatch({ 'a.js': file }, `--- a/a.js\n+++ b/a.js\n@@ @@\n${body}`);
  return r.ok ? r.files['a.js'] : null;
};

describe('indentation of added lines', () => {
  it.each([
    [
      'tab file, context as spaces, added lines already in tabs: kept',
      `f() {\n${T}a();\n${T}b();\n}\n`,
      ` f() {\n     a();\n+${T}c();\n     b();\n }\n`,
      `f() {\n${T}a();\n${T}c();\n${T}b();\n}\n`,
    ],
    [
      'tab file, every line as 8 spaces: added lines mapped back to tabs',
      `f() {\n${T}if (x) {\n${T}${T}a();\n${T}}\n}\n`,
      ` f() {\n         if (x) {\n                 a();\n+                b();\n         }\n }\n`,
      `f() {\n${T}if (x) {\n${T}${T}a();\n${T}${T}b();\n${T}}\n}\n`,
    ],
    [
      '2-space file, context at 4, added nested lines in 2-space style: kept',
      'f() {\n  a();\n  b();\n}\n',
      ' f() {\n     a();\n+  if (c) {\n+    d();\n+  }\n     b();\n }\n',
      'f() {\n  a();\n  if (c) {\n    d();\n  }\n  b();\n}\n',
    ],
    [
      '2-space file, everything at 4: mapped to 2',
      'f() {\n  if (a) {\n    b();\n  }\n}\n',
      ' f() {\n     if (a) {\n         b();\n+        c();\n     }\n }\n',
      'f() {\n  if (a) {\n    b();\n    c();\n  }\n}\n',
    ],
    [
      'a shifted hunk whose added line rewrites a removed one keeps that line’s indentation',
      'f() {\n  a();\n  b();\n}\n',
      '   f() {\n-    a();\n+  a(1);\n     b();\n   }\n',
      'f() {\n  a(1);\n  b();\n}\n',
    ],
    [
      'a shifted hunk whose inserted line its neighbours place at the file’s level: refused',
      'f() {\n  for (x of y) {\n    g(x);\n  }\n}\n',
      '   f() {\n     for (x of y) {\n+    log(x);\n       g(x);\n     }\n',
      null,
    ],
    [
      'a doc comment’s one-column alignment survives a change of style',
      '/**\n * a\n */\nf() {\n  x();\n}\n',
      ' /**\n-  * a\n+  * b\n   */\n f() {\n     x();\n }\n',
      '/**\n * b\n */\nf() {\n  x();\n}\n',
    ],
  ])('%s', (_name, file, body, want) => {
    expect(run(file, body)).toBe(want);
  });
});
