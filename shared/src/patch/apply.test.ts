import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import type { ConflictReason } from './types.js';

const SRC = [
  'import { a } from "./a";',
  '',
  'export function total(items) {',
  '  let sum = 0;',
  '  for (const item of items) {',
  '    sum += item.price;',
  '  }',
  '  return sum;',
  '}',
  '',
  'export function label(x) {',
  '  return `#${x}`;',
  '}',
  '',
].join('\n');

const WANT = SRC.replace('    sum += item.price;', '    sum += item.price * item.qty;');

const CLEAN =
  '--- a/src/cart.js\n+++ b/src/cart.js\n@@ -4,6 +4,6 @@ export function total(items) {\n   let sum = 0;\n   for (const item of items) {\n-    sum += item.price;\n+    sum += item.price * item.qty;\n   }\n   return sum;\n }\n';

/** Rewrites the hunk body lines (after the first @@ line). */
function indentBody(patch: string, f: (line: string) => string): string {
  const at = patch.indexOf('\n', patch.indexOf('@@')) + 1;
  return (
    patch.slice(0, at) +
    patch
      .slice(at)
      .split('\n')
      .map((l) => (l === '' ? l : f(l)))
      .join('\n')
  );
}

function run(files: Record<string, string>, patch: string) {
  return applyPatch(files, patch);
}

describe('applyPatch: tolerated defects give exactly the intended file', () => {
  const cases: Array<[string, string, Record<string, string>?, Record<string, string | null>?]> = [
    ['a clean diff', CLEAN],
    ['wrong line numbers', CLEAN.replace('@@ -4,6 +4,6 @@', '@@ -40,5 +42,5 @@')],
    ['no line numbers', CLEAN.replace('@@ -4,6 +4,6 @@', '@@ @@')],
    ['wrong counts', CLEAN.replace('@@ -4,6 +4,6 @@', '@@ -4,2 +4,9 @@')],
    ['context lines without leading space', CLEAN.replace(/^ {3}/gm, '  ').replace('\n }\n', '\n}\n')],
    ['trailing whitespace drift', CLEAN.replace('   let sum = 0;', '   let sum = 0;   ').replace('-    sum += item.price;', '-    sum += item.price;\t')],
    ['inner whitespace drift', CLEAN.replace('   for (const item of items) {', '   for (const  item of items){ ').replace('   return sum;', '\treturn sum;')],
    ['a slightly wrong context line', CLEAN.replace('   for (const item of items) {', '   for (let item of items) {')],
    ['fenced with prose', `Here you go:\n\n\`\`\`diff\n${CLEAN}\`\`\`\n\nThis multiplies by the quantity.\n`],
    ['no a/ b/ prefixes', CLEAN.replace('a/src', 'src').replace('b/src', 'src')],
    ['./ prefixes', CLEAN.replace('a/src', './src').replace('b/src', './src')],
    ['a CRLF diff for an LF file', CLEAN.replace(/\n/g, '\r\n')],
    ['a hunk one level too deep', indentBody(CLEAN, (l) => `${l[0]}  ${l.slice(1)}`)],
  ];
  it.each(cases)('%s', (_name, patch) => {
    const r = run({ 'src/cart.js': SRC, 'other.js': 'x\n' }, patch);
    expect(r.results[0]!.conflicts).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.files).toEqual({ 'src/cart.js': WANT, 'other.js': 'x\n' });
  });

  it('applies hunks given out of order', () => {
    const want = WANT.replace('  return `#${x}`;', '  return `#${String(x)}`;');
    const second = '@@ -11,3 +11,3 @@\n export function label(x) {\n-  return `#${x}`;\n+  return `#${String(x)}`;\n }\n';
    const [head, first] = [CLEAN.slice(0, CLEAN.indexOf('@@')), CLEAN.slice(CLEAN.indexOf('@@'))];
    const r = run({ 'src/cart.js': SRC }, head + second + first);
    expect(r.files['src/cart.js']).toBe(want);
  });

  it('keeps CRLF line endings of a CRLF file', () => {
    const r = run({ 'src/cart.js': SRC.replace(/\n/g, '\r\n') }, CLEAN);
    expect(r.files['src/cart.js']).toBe(WANT.replace(/\n/g, '\r\n'));
  });

  it('keeps a missing final newline when the diff has no marker', () => {
    const r = run({ f: 'a\nb\nc' }, '--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n');
    expect(r.files.f).toBe('a\nb\nC');
  });

  it('honours `\\ No newline` markers that agree with the file', () => {
    const r = run({ f: 'a\nb' }, '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    expect(r.files.f).toBe('a\nb\n');
  });

  it('re-indents a hunk written one level too shallow', () => {
    const nested = 'class A {\n  m() {\n    if (x) {\n      go();\n    }\n  }\n}\n';
    const patch = '--- a/f\n+++ b/f\n@@ -3,3 +3,4 @@\n   if (x) {\n     go();\n+    stop();\n   }\n';
    expect(run({ f: nested }, patch).files.f).toBe(nested.replace('      go();\n', '      go();\n      stop();\n'));
  });

  it('re-indents added lines with tabs in a tab-indented file', () => {
    const tabbed = 'function f() {\n\tif (x) {\n\t\tgo();\n\t}\n}\n';
    const patch = '--- a/f\n+++ b/f\n@@ -2,3 +2,4 @@\n   if (x) {\n     go();\n+    stop();\n   }\n';
    expect(run({ f: tabbed }, patch).files.f).toBe('function f() {\n\tif (x) {\n\t\tgo();\n\t\tstop();\n\t}\n}\n');
  });

  it('picks the place nearest the stated line number when the lines occur twice', () => {
    const twice = 'a\nx\ny\nb\nx\ny\nc\n';
    const patch = (n: number) => `--- a/f\n+++ b/f\n@@ -${n},2 +${n},2 @@\n x\n-y\n+Y\n`;
    expect(run({ f: twice }, patch(2)).files.f).toBe('a\nx\nY\nb\nx\ny\nc\n');
    expect(run({ f: twice }, patch(6)).files.f).toBe('a\nx\ny\nb\nx\nY\nc\n');
  });

  it.each([
    ['creates a file', '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n', { 'new.txt': 'one\ntwo\n' }],
    ['creates a file from a modify diff of a missing file with only additions', '--- a/new.txt\n+++ b/new.txt\n@@ -0,0 +1 @@\n+one\n', { 'new.txt': 'one\n' }],
    ['deletes a file', '--- a/other.js\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n', { 'other.js': null }],
    ['deletes a file without hunks', 'diff --git a/other.js b/other.js\ndeleted file mode 100644\n', { 'other.js': null }],
    ['renames a file', 'diff --git a/other.js b/moved.js\nrename from other.js\nrename to moved.js\n', { 'other.js': null, 'moved.js': 'x\n' }],
    [
      'renames and edits a file',
      'diff --git a/other.js b/moved.js\nrename from other.js\nrename to moved.js\n--- a/other.js\n+++ b/moved.js\n@@ -1 +1 @@\n-x\n+y\n',
      { 'other.js': null, 'moved.js': 'y\n' },
    ],
  ])('%s', (_name, patch, changes) => {
    const r = run({ 'src/cart.js': SRC, 'other.js': 'x\n' }, patch);
    expect(r.ok).toBe(true);
    expect(r.files).toEqual({ 'src/cart.js': SRC, 'other.js': 'x\n', ...changes });
  });
});

describe('applyPatch: refusals (a wrong apply is worse than a refusal)', () => {
  const cases: Array<[ConflictReason, Record<string, string>, string, RegExp]> = [
    ['removed_lines_not_found', { f: 'a\nb\nc\n' }, '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-B is gone\n+b2\n c\n', /`B is gone` does not occur/],
    ['removed_lines_not_found', { f: 'a\nb\nc\nd\ne\n' }, '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-d\n+D\n b\n', /not in the file.*closest place is line 1/s],
    ['context_not_found', { f: 'a\nb\nc\n' }, '--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n q\n+n\n r\n', /context lines are not in the file/],
    ['ambiguous', { f: 'x\ny\n-\nx\ny\n' }, '--- a/f\n+++ b/f\n@@ @@\n x\n-y\n+Y\n', /matches 2 places .*lines 1, 4/],
    ['ambiguous', { f: 'x\ny\nx\ny\n' }, '--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n x\n-y\n+Y\n', /matches 2 places/],
    ['overlapping_hunks', { f: 'a\nb\nc\nd\n' }, '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n', /overlap hunk 1/],
    ['no_anchor', { f: 'a\nb\n' }, '--- a/f\n+++ b/f\n@@ @@\n+new\n', /no context or removed lines/],
    ['already_applied', { f: 'a\nB\nc\n' }, '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n', /applied already/],
    ['file_not_found', { f: 'a\n' }, '--- a/g\n+++ b/g\n@@ -1 +1 @@\n-a\n+b\n', /g is not in the project/],
    ['file_exists', { f: 'a\n' }, '--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+b\n', /already exists/],
    ['file_exists', { f: 'a\n', g: 'b\n' }, 'diff --git a/f b/g\nrename from f\nrename to g\n', /already exists/],
    ['removed_lines_not_found', { f: 'a\nb\n' }, '--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n', /does not remove all of its lines \(1 would remain\)/],
  ];
  it.each(cases)('%s', (reason, files, patch, message) => {
    const r = run(files, patch);
    expect(r.ok).toBe(false);
    expect(r.files).toEqual(files);
    const conflict = r.results.flatMap((x) => x.conflicts)[0]!;
    expect(conflict.reason).toBe(reason);
    expect(conflict.message).toMatch(message);
  });

  it('refuses a context line that is too different rather than guessing', () => {
    const r = run({ 'src/cart.js': SRC }, CLEAN.replace('   for (const item of items) {', '   while (queue.length > 0) {'));
    expect(r.ok).toBe(false);
    expect(r.results[0]!.conflicts[0]).toMatchObject({ reason: 'removed_lines_not_found', hunkIndex: 0 });
    expect(r.results[0]!.conflicts[0]!.candidates[0]).toMatchObject({ line: 4 });
  });

  it('leaves a multi-hunk file untouched when one hunk fails, and reports per file', () => {
    const patch = '--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+A\n@@ -3 +3 @@\n-zz\n+Z\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-g\n+G\n';
    const r = run({ f: 'a\nb\nc\n', g: 'g\n' }, patch);
    expect(r.ok).toBe(false);
    expect(r.files).toEqual({ f: 'a\nb\nc\n', g: 'G\n' });
    expect(r.results.map((x) => [x.path, x.ok, x.conflicts.map((c) => c.hunkIndex)])).toEqual([
      ['f', false, [1]],
      ['g', true, []],
    ]);
  });

  it('is strict with maxStrategy exact', () => {
    const patch = CLEAN.replace('   let sum = 0;', '   let sum = 0;   ');
    expect(applyPatch({ 'src/cart.js': SRC }, patch, { maxStrategy: 'exact' }).ok).toBe(false);
    expect(applyPatch({ 'src/cart.js': SRC }, patch, { maxStrategy: 'trailing_whitespace' }).ok).toBe(true);
  });
});

describe('applyPatch: line numbers are evidence only when they are credible', () => {
  const block = ['if (err) {', '  throw err;', '}'];
  const filler = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `const ${tag}${i} = ${i};`);
  // Two copies of the same block, 40 lines apart.
  const FILE = [...filler('a', 5), ...block, ...filler('b', 40), ...block, ...filler('c', 5)].join('\n') + '\n';
  const hunk = (n: number) => `@@ -${n},3 +${n},3 @@\n if (err) {\n-  throw err;\n+  throw wrap(err);\n }\n`;
  const firstFixed = FILE.replace('  throw err;', '  throw wrap(err);');

  it.each([
    ['exact number', 6, firstFixed],
    ['number 3 lines off', 9, firstFixed],
    ['number far from both copies', 25, null],
    ['number halfway between', 26, null],
    // A lone hunk has no other hunk to show how far its numbers are shifted: 9 lines off is
    // no miscount, and a shift of 40 towards the other copy is as likely.
    ['number 9 lines off, nothing to corroborate it', 15, null],
  ])('%s', (_name, n, want) => {
    const r = run({ f: FILE }, `--- a/f\n+++ b/f\n${hunk(n)}`);
    if (want === null) expect(r.results[0]!.conflicts.map((c) => c.reason)).toEqual(['ambiguous']);
    else expect(r.files.f).toBe(want);
  });

  it('refuses a hunk whose number lands exactly on the wrong copy when other hunks show the numbers are off', () => {
    const unique = '@@ -50,2 +50,2 @@\n const c0 = 0;\n-const c1 = 1;\n+const c1 = 2;\n';
    // The second hunk really is at line 53 (stated 50 + 3 = wrong by far less than this hunk).
    const r = run({ f: FILE }, `--- a/f\n+++ b/f\n${hunk(49)}${unique.replace('-50,2 +50,2', '-20,2 +20,2')}`);
    expect(r.ok).toBe(false);
    expect(r.results[0]!.conflicts.map((c) => [c.hunkIndex, c.reason])).toEqual([[0, 'ambiguous']]);
  });

  it('trusts a number 9 lines off when another hunk, placed by content, shows the same shift', () => {
    const unique = '@@ -20,2 +20,2 @@\n const b10 = 10;\n-const b11 = 11;\n+const b11 = 12;\n';
    // b10 is at line 19 and the block at 6: both numbers are 9 too high, like a hunk above that grew the file.
    const r = run({ f: FILE }, `--- a/f\n+++ b/f\n${hunk(15)}${unique.replace('-20,2 +20,2', '-28,2 +28,2')}`);
    expect(r.files.f).toBe(firstFixed.replace('const b11 = 11;', 'const b11 = 12;'));
  });

  it('places a pure insertion whose neighbouring line differs from the file only where its number agrees', () => {
    const file = "function t() {\n  check('first');\n  check(next.e.f, 'kept');\n\n  done();\n}\n";
    // The line after the insertion is not the file's: the model may have missed a line there.
    const body = " @@\n   check('first');\n+  added();\n   check(next.e.h.j, 'kept');\n \n   done();\n";
    const withNumber = run({ f: file }, `--- a/f\n+++ b/f\n@@ -2,4 +2,5${body}`);
    expect(withNumber.files.f).toBe(file.replace("'first');\n", "'first');\n  added();\n"));
    const bare = run({ f: file }, `--- a/f\n+++ b/f\n@@${body}`);
    expect(bare.ok).toBe(false);
    const far = run({ f: file }, `--- a/f\n+++ b/f\n@@ -40,4 +40,5${body}`);
    expect(far.ok).toBe(false);
  });

  it('settles a hunk with elided context among two places only by a number another hunk vouches for', () => {
    const block = (name: string) => [
      `function ${name}() {`,
      "  define(this, 'message', {",
      "    value: message || '',",
      '    configurable: true,',
      '    writable: true,',
      '  });',
      '}',
    ];
    const lines = [...block('a'), ...filler('m', 20), ...block('b'), 'const tail1 = 1;', 'const tail2 = 2;'];
    const file = lines.join('\n') + '\n';
    // Two lines of the block are left out of the context: it fits both copies.
    const elided = (n: number) => `@@ -${n},2 +${n},2 @@\n     value: message || '',\n-  });\n+  }); // reviewed\n`;
    const t = lines.indexOf('const tail1 = 1;') + 1;
    const tail = `@@ -${t},2 +${t},2 @@\n-const tail1 = 1;\n+const tail1 = 10;\n const tail2 = 2;\n`;
    const second = lines.indexOf("    value: message || '',", 10) + 1;
    const both = run({ f: file }, `--- a/f\n+++ b/f\n${elided(second)}${tail}`);
    const want = [
      ...block('a'),
      ...filler('m', 20),
      ...block('b').map((l) => (l === '  });' ? '  }); // reviewed' : l)),
      'const tail1 = 10;',
      'const tail2 = 2;',
    ];
    expect(both.files.f).toBe(want.join('\n') + '\n');
    // Alone, its number is all there is: refused, both places named.
    const alone = run({ f: file }, `--- a/f\n+++ b/f\n${elided(second)}`);
    expect(alone.results[0]!.conflicts.map((c) => c.reason)).toEqual(['ambiguous']);
  });

  it('settles duplicates by the number, not by hunk order, when hunks are out of order', () => {
    const patch = `--- a/f\n+++ b/f\n@@ -52,2 +52,2 @@\n const c0 = 0;\n-const c1 = 1;\n+const c1 = 2;\n${hunk(6)}`;
    expect(run({ f: FILE }, patch).files.f).toBe(firstFixed.replace('const c1 = 1;', 'const c1 = 2;'));
  });
});

describe('applyPatch: indentation of added lines', () => {
  it('keeps a rewritten line where the line it rewrites was when only a comment was added to it', () => {
    const file = 'module.exports = class D {\n  constructor() {\n    this.reset()\n  }\n\n  get size() {\n    return 0\n  }\n}\n';
    // Written 2 columns deeper than the file, except the added line, written as the file has it.
    const patch =
      '--- a/f\n+++ b/f\n@@ -1,7 +1,7 @@\n   module.exports = class D {\n     constructor() {\n       this.reset()\n-    }\n+  } // reviewed\n \n     get size() {\n       return 0\n';
    expect(run({ f: file }, patch).files.f).toBe(file.replace('  }\n\n', '  } // reviewed\n\n'));
  });

  it("writes a squash-matched hunk's space-indented added lines in the tabs the file's other hunks show", () => {
    const file = [
      'function a() {',
      '\tif (x) {',
      '\t\tone();',
      '\t\ttwo();',
      '\t}',
      '}',
      '',
      'function b() {',
      '\t// note',
      '\t{',
      '\t  run();',
      '\t} ',
      '}',
      '',
    ].join('\n');
    const sp = (n: number) => ' '.repeat(n);
    // Tabs written as 4 spaces; `run();` one column off as well, so the second hunk matches
    // only with whitespace squashed and shows no indentation map of its own.
    const patch = ['--- a/f', '+++ b/f', '@@ -2,4 +2,4 @@', ` ${sp(4)}if (x) {`, `-${sp(8)}one();`, `+${sp(8)}one(1);`, ` ${sp(8)}two();`, ` ${sp(4)}}`];
    patch.push('@@ -9,4 +9,4 @@', ` ${sp(4)}// note`, `-${sp(4)}{`, `+${sp(4)}{ // reviewed`, ` ${sp(7)}run();`, ` ${sp(4)}} `, '');
    const r = run({ f: file }, patch.join('\n'));
    expect(r.results[0]!.hunks.map((h) => h.strategy)).toEqual(['indentation', 'whitespace']);
    expect(r.files.f).toBe(file.replace('\tone();', '\tone(1);').replace('\t{\n', '\t{ // reviewed\n'));
  });

  it('refuses when one added line keeps the indentation of the line it rewrites and its neighbours want the other', () => {
    const file = 'if (any) {\n  // pr\n  isPR = vendor.any.some(function (key) {\n    return !!env[key]\n  })\n} else {\n  other()\n}\n';
    // Written 2 columns deeper than the file. `return` as written (4) is where the line it
    // rewrites sits; re-indented (2) is where the first added line, by its neighbours, wants it.
    const patch =
      '--- a/f\n+++ b/f\n@@ -1,7 +1,7 @@\n   if (any) {\n     // pr\n-    isPR = vendor.any.some(function (key) {\n-      return !!env[key]\n' +
      '+    isPR = checkEnv(vendor)\n+    return !!env[key]\n     })\n   } else {\n     other()\n';
    const r = run({ f: file }, patch);
    expect(r.results[0]!.conflicts.map((c) => c.reason)).toEqual(['ambiguous_indentation']);
  });

  it('does not re-indent added lines because context lines lost their leading space', () => {
    const file = 'class A {\n  run() {\n    a();\n    b();\n  }\n}\n';
    const patch = '--- a/f\n+++ b/f\n@@ -3,2 +3,3 @@\n    a();\n+    between();\n    b();\n';
    expect(run({ f: file }, patch).files.f).toBe(file.replace('    a();\n', '    a();\n    between();\n'));
  });

  it("keeps the file's exact mix of tabs and spaces when a whole hunk is one level too deep", () => {
    const file = 'function f() {\n\t    x();\n\t    y();\n}\n';
    const patch = '--- a/f\n+++ b/f\n@@ -2,2 +2,3 @@\n \t\t    x();\n+\t\t    between();\n \t\t    y();\n';
    expect(run({ f: file }, patch).files.f).toBe(file.replace('\t    x();\n', '\t    x();\n\t    between();\n'));
  });

  it("keeps added lines that open a block where the file wants them, when the hunk's other lines drifted", () => {
    const file = "function f(data) {\n  if (data.kind === 'buffer') {\n    onend(null, source);\n  } else {\n    other();\n  }\n}\n";
    // Context and removed lines 2 columns deeper than the file; the added block as the file has
    // it. Shifted back too, `if (result) {` would sit level with the `if` it is inside.
    const patch =
      "--- a/f\n+++ b/f\n@@ -2,4 +2,6 @@\n     if (data.kind === 'buffer') {\n-      onend(null, source);\n+    if (result) {\n+      onend(null, source);\n+    }\n     } else {\n       other();\n";
    expect(run({ f: file }, patch).files.f).toBe(file.replace('    onend(null, source);\n', '    if (result) {\n      onend(null, source);\n    }\n'));
  });

  it('still refuses a lone plain statement after an opening line: one neighbour is too little to tell', () => {
    const file = "function f(data) {\n  if (data.kind === 'buffer') {\n    onend(null, source);\n  }\n}\n";
    const patch = "--- a/f\n+++ b/f\n@@ -2,3 +2,4 @@\n     if (data.kind === 'buffer') {\n+    log();\n       onend(null, source);\n     }\n";
    expect(run({ f: file }, patch).results[0]!.conflicts.map((c) => c.reason)).toEqual(['ambiguous_indentation']);
  });

  it('rescales a patch written with 4-column levels into a 2-column file, though no hunk shows two levels of its own', () => {
    const file = "module.exports = build();\n\nconst list = [\n  'a',\n  'b',\n  'c',\n];\n";
    // The second hunk's old lines sit at one level (4 for the file's 2): a shift by 2 or half
    // the width, alike for them; the patch's own 4-column steps say which, and the nested line
    // then lands at 4, not 6.
    const patch = [
      '--- a/f',
      '+++ b/f',
      '@@ -1,1 +1,7 @@',
      '-module.exports = build();',
      '+try {',
      '+    if (ready) {',
      '+        module.exports = build();',
      '+    }',
      '+} catch (err) {',
      '+    report(err);',
      '+}',
      '@@ -4,3 +10,3 @@',
      "     'a',",
      "-    'b',",
      "+    'bee',",
      "     'c',",
      '',
    ].join('\n');
    const want =
      "try {\n  if (ready) {\n    module.exports = build();\n  }\n} catch (err) {\n  report(err);\n}\n\nconst list = [\n  'a',\n  'bee',\n  'c',\n];\n";
    expect(run({ f: file }, patch).files.f).toBe(want);
  });

  it('puts a rewritten line where the line it rewrites was when the hunk only matched with whitespace squashed', () => {
    const sp = (n: number) => ' '.repeat(n);
    const file = ['function f() {', `${sp(8)}if (x) {`, `${sp(12)}if (a) {`, `${sp(14)}b();`, `${sp(12)}}`, `${sp(12)}c();`, `${sp(8)}}`, '}', ''].join('\n');
    // Halved, but the file's own 2-column step makes no single map fit: the hunk matches with
    // whitespace squashed, and `}` → `} // reviewed` was written where the `}` was written.
    const patch = [
      '--- a/f',
      '+++ b/f',
      '@@ -3,5 +3,5 @@',
      ` ${sp(6)}if (a) {`,
      ` ${sp(8)}b();`,
      `-${sp(6)}}`,
      `+${sp(6)}} // reviewed`,
      ` ${sp(6)}c();`,
      ` ${sp(4)}}`,
      '',
    ].join('\n');
    const r = run({ f: file }, patch);
    expect(r.results[0]!.hunks.map((h) => h.strategy)).toEqual(['whitespace']);
    expect(r.files.f).toBe(file.replace(`${sp(12)}}\n`, `${sp(12)}} // reviewed\n`));
  });

  it("converts a hunk written with 2-space levels to the file's 4-space levels", () => {
    const file = 'a {\n    b {\n        c;\n    }\n}\n';
    const patch = '--- a/f\n+++ b/f\n@@ -2,3 +2,4 @@\n   b {\n     c;\n+    d;\n   }\n';
    expect(run({ f: file }, patch).files.f).toBe(file.replace('        c;\n', '        c;\n        d;\n'));
  });
});

describe('applyPatch: result details', () => {
  it("records strategy, fuzz and offset per hunk, and a normalised patch with the file's own lines", () => {
    const drifted = CLEAN.replace('@@ -4,6 +4,6 @@', '@@ -7,5 +7,5 @@').replace('   return sum;', '   return  sum;');
    const r = run({ 'src/cart.js': SRC }, drifted);
    expect(r.results[0]!.hunks).toEqual([{ hunkIndex: 0, strategy: 'whitespace', fuzz: 3, oldStart: 4, offset: -3 }]);
    expect(r.results[0]!.patch).toBe(`diff --git a/src/cart.js b/src/cart.js\n${CLEAN.replace(' export function total(items) {', '')}`);
    expect(applyPatch({ 'src/cart.js': SRC }, r.results[0]!.patch, { maxStrategy: 'exact' }).files['src/cart.js']).toBe(WANT);
  });
});

describe('applyPatch: hunks that lost their context', () => {
  it('refuses a hunk whose header promises old lines it does not have, instead of placing it by number', () => {
    const r = applyPatch({ f: 'a\nb\nc\n' }, '--- a/f\n+++ b/f\n@@ -2,1 +2,2 @@\n+new\n');
    expect(r.results[0]!.conflicts.map((c) => c.reason)).toEqual(['no_anchor']);
  });

  it('applies a bare answer with prose after it, the prose not being part of the hunk', () => {
    const answer = '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n\nThis capitalises a.\n';
    expect(applyPatch({ f: 'a\nb\n' }, answer).files.f).toBe('A\nb\n');
  });
});
