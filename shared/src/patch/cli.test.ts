import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { patchCliOutputSchema } from '../schemas/patch.js';
import { applyJsonl, processLine } from './cli.js';

const PATCH = '--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n';
const line = (o: unknown) => JSON.stringify(o);

describe('processLine', () => {
  it.each([
    [
      'applies a patch',
      line({ id: '1', files: { 'a.txt': 'x\ny\nz\n', 'b.txt': 'b\n' }, patch: PATCH }),
      { id: '1', ok: true, files: { 'a.txt': 'x\nY\nz\n', 'b.txt': 'b\n' } },
    ],
    [
      'reports null for a deleted file',
      line({ id: 'd', files: { 'a.txt': 'x\n' }, patch: '--- a/a.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n' }),
      { id: 'd', ok: true, files: { 'a.txt': null } },
    ],
    ['answers bad JSON with id null', 'not json', { id: null, ok: false, files: {}, reason: 'invalid_input' }],
    ['answers a bad shape with its id', line({ id: 'x', files: [] }), { id: 'x', ok: false, files: {}, reason: 'invalid_input' }],
    [
      'answers a non-diff with the parse reason',
      line({ id: 'p', files: { 'a.txt': 'x\n' }, patch: 'just prose' }),
      { id: 'p', ok: false, files: { 'a.txt': 'x\n' }, reason: 'not_a_diff' },
    ],
  ])('%s', (_name, input, want) => {
    const out = processLine(input, 1);
    expect(patchCliOutputSchema.parse(out)).toEqual(out);
    expect(out).toMatchObject(want);
  });

  it('is all or nothing over the whole patch: one failed file leaves every file unchanged', () => {
    const files = { 'a.txt': 'x\ny\nz\n', 'b.txt': 'b\n' };
    const patch = `${PATCH}--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-not there\n+B\n`;
    const out = processLine(line({ id: 'm', files, patch }), 1);
    expect(out).toMatchObject({ id: 'm', ok: false, files });
    expect(out.conflicts?.map((c) => [c.path, c.hunkIndex, c.reason])).toEqual([['b.txt', 0, 'removed_lines_not_found']]);
  });

  it('says per file and per hunk how each hunk was placed, and how an odd path was resolved', () => {
    const files = { 'src/a.txt': 'x\ny\nz\n', 'src/b.txt': '\tone\n\ttwo\n\tthree\n' };
    // a.txt: exact but 2 lines off, named with the project folder in front; b.txt: tabs written as spaces.
    const patch =
      '--- a/my-app/src/a.txt\n+++ b/my-app/src/a.txt\n@@ -3,3 +3,3 @@\n x\n-y\n+Y\n z\n' +
      '--- a/src/b.txt\n+++ b/src/b.txt\n@@ -1,3 +1,3 @@\n     one\n-    two\n+\tTWO\n     three\n';
    const out = processLine(line({ id: 'r', files, patch }), 1);
    expect(patchCliOutputSchema.parse(out)).toEqual(out);
    expect(out).toMatchObject({ ok: true, files: { 'src/a.txt': 'x\nY\nz\n', 'src/b.txt': '\tone\n\tTWO\n\tthree\n' } });
    expect(out.placements).toEqual([
      {
        path: 'src/a.txt',
        op: 'modify',
        ok: true,
        writtenPath: 'my-app/src/a.txt',
        pathResolution: 'suffix',
        hunks: [{ hunkIndex: 0, strategy: 'exact', fuzz: 0, oldStart: 1, offset: -2 }],
      },
      { path: 'src/b.txt', op: 'modify', ok: true, hunks: [{ hunkIndex: 0, strategy: 'indentation', fuzz: 2, oldStart: 1, offset: 0 }] },
    ]);
  });
});

describe('applyJsonl', () => {
  it('answers thousands of lines in order, skipping blank lines and surviving bad ones', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const done = applyJsonl(input, output);
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const text = i % 500 === 7 ? '{"broken": ' : line({ id: `c${i}`, files: { 'a.txt': `x\ny\nz\n${i}\n` }, patch: PATCH });
      input.write(i % 1000 === 3 ? `${text}\n\n` : `${text}\n`);
    }
    input.end();
    expect(await done).toBe(n);
    const out = chunks
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string | null; ok: boolean; files: Record<string, string> });
    expect(out).toHaveLength(n);
    out.forEach((o, i) => {
      if (i % 500 === 7) expect(o).toMatchObject({ id: null, ok: false });
      else expect(o).toMatchObject({ id: `c${i}`, ok: true, files: { 'a.txt': `x\nY\nz\n${i}\n` } });
    });
  });
});

describe('patchpad-patch bin', () => {
  it('runs through tsx from node', () => {
    const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/patchpad-patch.mjs');
    const input = `${line({ id: 'b', files: { 'a.txt': 'x\ny\nz\n' }, patch: PATCH })}\n`;
    const r = spawnSync(process.execPath, [bin, 'apply-jsonl'], { input, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'b', ok: true, files: { 'a.txt': 'x\nY\nz\n' } });
    const bad = spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Usage: patchpad-patch apply-jsonl/);
  }, 60_000);
});
