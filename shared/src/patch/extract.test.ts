import { describe, expect, it } from 'vitest';
import { extractDiff } from './extract.js';

const DIFF = '--- a/f.ts\n+++ b/f.ts\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n';

describe('extractDiff', () => {
  it.each([
    ['a bare diff', DIFF, DIFF],
    ['a ```diff fence with prose around', `Here is the fix.\n\n\`\`\`diff\n${DIFF}\`\`\`\n\nLet me know!`, DIFF],
    ['a ```patch fence', `\`\`\`patch\n${DIFF}\`\`\``, DIFF],
    ['an untagged fence holding a diff', `See:\n\`\`\`\n${DIFF}\`\`\``, DIFF],
    ['a ~~~ fence', `~~~diff\n${DIFF}~~~\n`, DIFF],
    // After a bare diff, lines may be context that lost its space or prose: the parser tells
    // them apart by the hunk's counts, so they are kept (see parse.test.ts).
    ['prose before a bare diff', `I changed f.\n\n${DIFF}`, DIFF],
    ['prose after a bare diff', `${DIFF}\nThat is all.\n`, `${DIFF}\nThat is all.\n`],
  ])('finds the diff in %s', (_name, answer, want) => {
    expect(extractDiff(answer)).toBe(want);
  });

  it('joins several diff fences (one per file) and skips other code blocks', () => {
    const other = '--- a/g.ts\n+++ b/g.ts\n@@ -1 +1 @@\n-x\n+y\n';
    const answer = `First:\n\`\`\`diff\n${DIFF}\`\`\`\nUsage:\n\`\`\`ts\nf();\n\`\`\`\nSecond:\n\`\`\`diff\n${other}\`\`\`\n`;
    expect(extractDiff(answer)).toBe(DIFF + other);
  });

  it('does not end the fence at a context line holding a fence of the patched markdown file', () => {
    const md = '--- a/README.md\n+++ b/README.md\n@@ -1,3 +1,3 @@\n ```\n-old\n+new\n ```\n';
    expect(extractDiff(`\`\`\`diff\n${md}\`\`\`\n`)).toBe(md);
  });

  it('strips the indentation of a fence inside a list item from its lines', () => {
    const answer = `1. Change it:\n\n   \`\`\`diff\n${DIFF.split('\n')
      .map((l) => (l === '' ? l : `   ${l}`))
      .join('\n')}   \`\`\`\n2. Done.\n`;
    expect(extractDiff(answer)).toBe(DIFF);
  });

  it('returns null when there is no diff', () => {
    expect(extractDiff('I could not find the bug. Could you share the stack trace?')).toBeNull();
    expect(extractDiff('```ts\nconst x = 1;\n```')).toBeNull();
  });
});
