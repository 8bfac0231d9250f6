import { describe, expect, it } from 'vitest';
import { createPatch } from '@patchpad/shared/patch';
import type { PatchedFile } from '@patchpad/shared';
import { applyChoices, initialChoices } from './review';

const before = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const after = before.replace('line 3\n', 'line three\n').replace('line 30\n', 'line thirty\n');
const patch: PatchedFile = { path: 'a.ts', op: 'modify', patch: createPatch('a.ts', before, after) };

describe('per-hunk review', () => {
  it('splits a file patch into hunks, all accepted at first', () => {
    const [choice] = initialChoices([patch]);
    expect(choice!.hunks).toHaveLength(2);
    expect(choice!.accepted).toEqual([true, true]);
  });

  it('applies only the accepted hunks', () => {
    const choices = initialChoices([patch]);
    choices[0]!.accepted = [false, true];
    const outcome = applyChoices({ 'a.ts': before }, [patch], choices);
    expect(outcome.problems).toEqual([]);
    expect(outcome.files['a.ts']).toBe(before.replace('line 30\n', 'line thirty\n'));
  });

  it('rebases onto a buffer the user edited meanwhile', () => {
    const edited = `// added by the user\n${before}`;
    const outcome = applyChoices({ 'a.ts': edited }, [patch], initialChoices([patch]));
    expect(outcome.files['a.ts']).toBe(`// added by the user\n${after}`);
  });

  it('leaves a file untouched and reports it when a hunk no longer applies', () => {
    const rewritten = before.replace('line 3\n', 'something else\n').replace('line 2\n', 'x\n').replace('line 4\n', 'y\n');
    const outcome = applyChoices({ 'a.ts': rewritten }, [patch], initialChoices([patch]));
    expect(outcome.files['a.ts']).toBe(rewritten);
    expect(outcome.applied).toEqual([]);
    expect(outcome.problems[0]).toMatch(/^Hunk 1 of a\.ts /);
  });

  it('creates and deletes whole files', () => {
    const create: PatchedFile = { path: 'new.ts', op: 'create', patch: '--- /dev/null\n+++ b/new.ts\n@@ -0,0 +1,1 @@\n+export const x = 1;\n' };
    const del: PatchedFile = { path: 'a.ts', op: 'delete', patch: createDeletion('a.ts', before) };
    const outcome = applyChoices({ 'a.ts': before }, [create, del], initialChoices([create, del]));
    expect(outcome.problems).toEqual([]);
    expect(outcome.files).toEqual({ 'new.ts': 'export const x = 1;\n' });
  });
});

function createDeletion(path: string, content: string): string {
  const lines = content.slice(0, -1).split('\n');
  return `--- a/${path}\n+++ /dev/null\n@@ -1,${lines.length} +0,0 @@\n${lines.map((l) => `-${l}`).join('\n')}\n`;
}
