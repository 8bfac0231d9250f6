import { describe, expect, it } from 'vitest';
import type { TaskInput } from '@patchpad/shared';
import { validateAnswer } from './validate';

const input = { prompt: 'p', mode: 'patch', files: { 'src/a.ts': 'export const a = 1;\n' } } as TaskInput;

const create = (path: string) => `Here you go.

\`\`\`diff
--- /dev/null
+++ b/${path}
@@ -0,0 +1 @@
+export const b = 2;
\`\`\`
`;

describe('validating a model answer', () => {
  it('accepts a diff that applies, with the prose as explanation', () => {
    const v = validateAnswer(input, create('src/b.ts'));
    expect(v).toMatchObject({ ok: true, explanation: 'Here you go.', filesModified: [{ path: 'src/b.ts', op: 'create' }] });
  });

  it('sends paths that are not project paths back for repair, saying why', () => {
    for (const [path, why] of [
      ['../outside.ts', /"\.\."/],
      ['a\\b.ts', /backslashes/],
      ['__proto__', /reserved/],
    ] as const) {
      const v = validateAnswer(input, create(path));
      expect(v.ok, path).toBe(false);
      if (!v.ok) expect(v.problems.join('\n')).toMatch(why);
    }
  });

  it('records how each hunk was placed and the path the model wrote, and returns the patched files', () => {
    const answer = '```diff\n--- a/app/src/a.ts\n+++ b/app/src/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;\n```\n';
    const v = validateAnswer(input, answer);
    expect(v).toMatchObject({
      ok: true,
      files: { 'src/a.ts': 'export const a = 2;\n' },
      filesModified: [{ path: 'src/a.ts', writtenPath: 'app/src/a.ts', pathResolution: 'suffix', hunks: [{ hunkIndex: 0, strategy: 'exact', fuzz: 0 }] }],
    });
  });

  it('reads an absolute header path as project-relative (the engine drops the leading slash)', () => {
    expect(validateAnswer(input, create('/src/c.ts'))).toMatchObject({ ok: true, filesModified: [{ path: 'src/c.ts' }] });
  });
});
