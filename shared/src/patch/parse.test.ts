import { describe, expect, it } from 'vitest';
import { PatchError } from './errors.js';
import { parsePatch } from './parse.js';
import type { HunkLine } from './types.js';

const kinds = (lines: HunkLine[]) => lines.map((l) => `${{ context: ' ', add: '+', remove: '-' }[l.kind]}${l.text}`);

describe('parsePatch: well-formed input', () => {
  it('reads a git diff with several files and hunks', () => {
    const set = parsePatch(
      'diff --git a/src/a.ts b/src/a.ts\nindex 1234..5678 100644\n--- a/src/a.ts\n+++ b/src/a.ts\n' +
        '@@ -1,3 +1,3 @@ function f() {\n x\n-y\n+Y\n z\n@@ -10,2 +10,3 @@\n p\n+q\n r\n' +
        'diff --git a/b.ts b/b.ts\n--- a/b.ts\n+++ b/b.ts\n@@ -5 +5 @@\n-old\n+new\n',
    );
    expect(set.files.map((f) => [f.op, f.oldPath, f.newPath, f.hunks.length])).toEqual([
      ['modify', 'src/a.ts', 'src/a.ts', 2],
      ['modify', 'b.ts', 'b.ts', 1],
    ]);
    const [h0, h1] = set.files[0]!.hunks;
    expect(h0).toMatchObject({ oldStart: 1, newStart: 1, section: 'function f() {' });
    expect(kinds(h0!.lines)).toEqual([' x', '-y', '+Y', ' z']);
    expect(kinds(h1!.lines)).toEqual([' p', '+q', ' r']);
    expect(set.files[1]!.hunks[0]).toMatchObject({ oldStart: 5, newStart: 5 });
  });

  it.each([
    ['created (git)', 'diff --git a/n.ts b/n.ts\nnew file mode 100644\n--- /dev/null\n+++ b/n.ts\n@@ -0,0 +1 @@\n+hi\n', 'create', null, 'n.ts'],
    ['created (plain)', '--- /dev/null\n+++ n.ts\n@@ -0,0 +1 @@\n+hi\n', 'create', null, 'n.ts'],
    ['empty file created', 'diff --git a/e.txt b/e.txt\nnew file mode 100644\n', 'create', null, 'e.txt'],
    ['deleted', 'diff --git a/d.ts b/d.ts\ndeleted file mode 100644\n--- a/d.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n', 'delete', 'd.ts', null],
    ['deleted without hunks', 'diff --git a/d.ts b/d.ts\ndeleted file mode 100644\n', 'delete', 'd.ts', null],
    ['renamed', 'diff --git a/o.ts b/n.ts\nsimilarity index 90%\nrename from o.ts\nrename to n.ts\n', 'rename', 'o.ts', 'n.ts'],
    ['renamed with ---/+++ only', '--- a/o.ts\n+++ b/n.ts\n@@ -1 +1 @@\n-a\n+b\n', 'rename', 'o.ts', 'n.ts'],
  ])('recognises a file %s', (_name, text, op, oldPath, newPath) => {
    expect(parsePatch(text).files[0]).toMatchObject({ op, oldPath, newPath });
  });

  it('keeps `\\ No newline at end of file` on the line before it', () => {
    const [h] = parsePatch('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n').files[0]!.hunks;
    expect(h!.lines).toEqual([
      { kind: 'remove', text: 'a', noEol: true },
      { kind: 'add', text: 'b' },
    ]);
  });
});

describe('parsePatch: defects of model-written diffs', () => {
  it.each([
    ['no numbers: `@@ @@`', '--- a/f\n+++ b/f\n@@ @@\n x\n-y\n+Y\n', null, null],
    ['no counts', '--- a/f\n+++ b/f\n@@ -4 +4 @@\n-y\n+Y\n', 4, 4],
    ['no closing @@', '--- a/f\n+++ b/f\n@@ -4,1 +4,1\n-y\n+Y\n', 4, 4],
    ['wrong counts', '--- a/f\n+++ b/f\n@@ -4,9 +4,1 @@\n x\n-y\n+Y\n z\n', 4, 4],
  ])('reads hunk headers with %s', (_name, text, oldStart, newStart) => {
    const [h] = parsePatch(text).files[0]!.hunks;
    expect(h).toMatchObject({ oldStart, newStart });
    expect(h!.lines.some((l) => l.kind === 'add' && l.text === 'Y')).toBe(true);
  });

  it('reads +/- lines with no @@ line at all after file headers', () => {
    const [h] = parsePatch('--- a/f\n+++ b/f\n-y\n+Y\n').files[0]!.hunks;
    expect(kinds(h!.lines)).toEqual(['-y', '+Y']);
    expect(h!.oldStart).toBeNull();
  });

  it('treats unprefixed lines inside a hunk as context that lost its leading space', () => {
    const [h] = parsePatch('--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\nfunction f() {\n\n-  old();\n+  new();\n}\n').files[0]!.hunks;
    expect(kinds(h!.lines)).toEqual([' function f() {', ' ', '-  old();', '+  new();', ' }']);
  });

  it('drops trailing unprefixed lines the counts do not ask for (prose after the diff)', () => {
    const text = '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n\nThis renames a to b.\nHope it helps!\n';
    expect(kinds(parsePatch(text).files[0]!.hunks[0]!.lines)).toEqual(['-a', '+b', ' c']);
  });

  it('reads a sentence after a hunk whose counts are too large as prose, not context', () => {
    const p = parsePatch('--- a/x.js\n+++ b/x.js\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n\nThis keeps it simple. Let me know.\n');
    expect(p.files[0]!.hunks[0]!.lines.map((l) => l.text)).toEqual(['a', 'b', 'B', 'c']);
    // Code after it is still context that lost its space.
    const q = parsePatch('--- a/x.js\n+++ b/x.js\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\nreturn d;\n');
    expect(q.files[0]!.hunks[0]!.lines.map((l) => l.text)).toEqual(['a', 'b', 'B', 'c', 'return d;']);
  });

  it('keeps -/+ lines that follow unprefixed lines in the hunk, so that the apply refuses rather than drops them', () => {
    // Either prose with a markdown list after a diff, or context without its space followed by
    // more changes under wrong counts: dropping the `-`/`+` lines could apply a different change.
    const text = '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+b\n c\nNotes:\n- renamed a\n';
    expect(kinds(parsePatch(text).files[0]!.hunks[0]!.lines)).toEqual(['-a', '+b', ' c', ' Notes:', '- renamed a']);
  });

  it.each([
    ['a/ b/ prefixes', '--- a/src/x.ts\n+++ b/src/x.ts\n', 'src/x.ts'],
    ['no prefixes', '--- src/x.ts\n+++ src/x.ts\n', 'src/x.ts'],
    ['./ prefixes', '--- ./src/x.ts\n+++ ./src/x.ts\n', 'src/x.ts'],
    ['only one side prefixed', '--- a/src/x.ts\n+++ src/x.ts\n', 'src/x.ts'],
    ['timestamps', '--- src/x.ts\t2024-01-01 10:00:00.000 +0100\n+++ src/x.ts\t2024-01-02 10:00:00 +0100\n', 'src/x.ts'],
    ['timestamps after spaces', '--- a/src/x.ts 2024-01-01 10:00:00\n+++ b/src/x.ts 2024-01-01 10:00:00\n', 'src/x.ts'],
    ['a leading slash', '--- /src/x.ts\n+++ /src/x.ts\n', 'src/x.ts'],
    ['quoted paths', '--- "a/src/x.ts"\n+++ "b/src/x.ts"\n', 'src/x.ts'],
    ['Index: header (svn)', 'Index: src/x.ts\n===================================================================\n--- src/x.ts\n+++ src/x.ts\n', 'src/x.ts'],
    ['a directory literally named a', 'diff --git a/a/x.ts b/a/x.ts\n--- a/a/x.ts\n+++ b/a/x.ts\n', 'a/x.ts'],
  ])('normalises file headers with %s', (_name, header, path) => {
    const f = parsePatch(`${header}@@ -1 +1 @@\n-a\n+b\n`).files[0]!;
    expect([f.op, f.oldPath, f.newPath]).toEqual(['modify', path, path]);
  });

  it('reads CRLF diffs, remembering which lines had CRLF', () => {
    const [h] = parsePatch('--- a/f\r\n+++ b/f\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n').files[0]!.hunks;
    expect(h!.lines).toEqual([
      { kind: 'remove', text: 'a', crlf: true },
      { kind: 'add', text: 'b', crlf: true },
    ]);
  });

  it('merges two sections patching the same file into one file patch', () => {
    const set = parsePatch('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-c\n+d\n--- a/f\n+++ b/f\n@@ -9 +9 @@\n-e\n+f\n');
    expect(set.files.map((f) => [f.newPath, f.hunks.length])).toEqual([
      ['f', 2],
      ['g', 1],
    ]);
  });

  it('skips prose between files', () => {
    const set = parsePatch('First file:\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n\nAnd the second one:\n\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-c\n+d\n');
    expect(set.files.map((f) => kinds(f.hunks[0]!.lines))).toEqual([
      ['-a', '+b'],
      ['-c', '+d'],
    ]);
  });

  it('uses the default path for headerless hunks when one is given', () => {
    expect(parsePatch('@@ -1 +1 @@\n-a\n+b\n', { defaultPath: 'buf' }).files[0]).toMatchObject({ op: 'modify', oldPath: 'buf', newPath: 'buf' });
  });
});

describe('parsePatch: errors', () => {
  it.each([
    ['prose', 'Sure! I changed the function to return early.', 'not_a_diff'],
    ['empty text', '', 'not_a_diff'],
    ['headerless hunk', '@@ -1 +1 @@\n-a\n+b\n', 'missing_file_header'],
    ['binary patch', 'diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n', 'binary_patch'],
    ['headers only', '--- a/f\n+++ b/f\n', 'no_changes'],
  ])('rejects %s with reason %s and a message saying how to fix it', (_name, text, reason) => {
    let error: unknown;
    try {
      parsePatch(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatchError);
    expect((error as PatchError).reason).toBe(reason);
    expect((error as PatchError).message).toMatch(/`(---|@@|\+\+\+)|unified diff|text diffs/);
  });
});
