import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TaskInput } from '@patchpad/shared';
import { countMessageTokens, countTokens } from '@patchpad/shared/tokens';
import { buildPrompt, buildRepairMessage } from './prompt';
import { contextOrder, cutAround, fileBudget, importsOf } from './context';

const input = (over: Partial<TaskInput> = {}): TaskInput => ({
  prompt: 'add a dark-mode toggle',
  mode: 'patch',
  files: { 'src/App.tsx': 'export default function App() {}\n', 'src/big.ts': 'x'.repeat(500), 'src/a.ts': 'const a = 1;\n' },
  ...over,
});

const numbered = (n: number, word = 'line') =>
  Array.from({ length: n }, (_, i) => `const ${word}${i + 1} = ${i + 1}; // ${word} number ${i + 1}`).join('\n') + '\n';

describe('context order', () => {
  it('puts the focused file first, then what it imports (breadth first), then the rest smallest first', () => {
    const files = {
      'src/App.tsx':
        "import { Button } from './ui/Button';\nimport data from '../data.json';\nimport React from 'react';\nconst lazy = import('./pages/Home');\n",
      'src/ui/Button.tsx': "import { cx } from '../util';\nexport const Button = 1;\n",
      'src/util/index.ts': 'export const cx = 1;\n',
      'data.json': '{}',
      'src/pages/Home.tsx': 'export default 1;\n',
      'src/zzz-large.ts': 'x'.repeat(1000),
      'src/tiny.ts': '1',
    };
    expect(importsOf('src/App.tsx', files)).toEqual(['src/ui/Button.tsx', 'data.json', 'src/pages/Home.tsx']);
    expect(contextOrder(input({ files, cursor: { path: 'src/App.tsx', line: 1, column: 1 } }))).toEqual([
      'src/App.tsx',
      'src/ui/Button.tsx',
      'data.json',
      'src/pages/Home.tsx',
      'src/util/index.ts',
      'src/tiny.ts',
      'src/zzz-large.ts',
    ]);
    // With no focus: smallest first.
    expect(contextOrder(input())[0]).toBe('src/a.ts');
  });
});

describe('buildPrompt', () => {
  it('puts the focused file first and states the request last', () => {
    const { messages } = buildPrompt(input({ activePath: 'src/big.ts' }));
    const [system, user] = messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('```diff');
    const order = ['src/big.ts', 'src/a.ts', 'src/App.tsx'].map((p) => user!.content.indexOf(`File: ${p}`));
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > order[i - 1]!))).toBe(true);
    expect(user!.content.endsWith('Request: add a dark-mode toggle')).toBe(true);
  });

  it('cuts a focused file too large for the window around the selection, with markers, and lists the files left out', () => {
    const big = numbered(3000);
    const files = { 'src/App.tsx': big, 'src/other.ts': numbered(400, 'other'), 'src/tiny.ts': 'export const t = 1;\n' };
    const selection = { path: 'src/App.tsx', startLine: 1500, endLine: 1502, text: 'const line1500 = 1500;' };
    const { messages, context } = buildPrompt(input({ files, selection }), { contextWindow: 8192, maxOutputTokens: 1024 }, 2);
    const user = messages[1]!.content;
    expect(user).toContain('const line1500 = 1500;');
    expect(user).toMatch(/… \[lines 1-\d+ of src\/App.tsx left out to fit the model's context\] …/);
    expect(user).toMatch(/… \[lines \d+-3000 of src\/App.tsx left out to fit the model's context\] …/);
    expect(user).toContain('File: src/App.tsx (shortened');
    expect(context.truncated).toEqual(['src/App.tsx']);
    expect(context.omitted).toEqual(['src/tiny.ts', 'src/other.ts']);
    expect(user).toContain('Other files in the project (not shown): src/tiny.ts, src/other.ts');
    expect(context.usedTokens).toBeLessThanOrEqual(context.budgetTokens);
  });

  it('shortens an imported file that does not fit whole rather than dropping it', () => {
    const files = { 'src/App.tsx': "import { x } from './lib';\n", 'src/lib.ts': numbered(2000, 'lib') };
    const { messages, context } = buildPrompt(input({ files, activePath: 'src/App.tsx' }), { contextWindow: 4096, maxOutputTokens: 512 }, 1);
    expect(context).toMatchObject({ truncated: ['src/lib.ts'], omitted: [] });
    expect(messages[1]!.content).toContain('const lib1 = 1;');
    expect(messages[1]!.content).toMatch(/\[lines \d+-2000 of src\/lib.ts left out/);
  });

  it('never goes over the window, whatever the files (property, logged seed)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.integer({ min: 0, max: 600 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 2048, max: 20_000 }),
        fc.integer({ min: 1, max: 3 }),
        (specs, window, calls) => {
          const files = Object.fromEntries(specs.map(([name, lines], i) => [`src/${name}${i}.ts`, numbered(lines, name)]));
          const limits = { contextWindow: window, maxOutputTokens: 1024 };
          const { messages, context } = buildPrompt(input({ files, activePath: Object.keys(files)[0] }), limits, calls);
          const answerReserve = Math.min(1024, Math.floor(window / 4)) * calls;
          expect(countMessageTokens(messages)).toBeLessThanOrEqual(window - answerReserve);
          const shown = Object.keys(files).filter((p) => !context.omitted.includes(p));
          expect(shown.every((p) => messages[1]!.content.includes(`File: ${p}`))).toBe(true);
        },
      ),
      { seed: 20261206, numRuns: 60 },
    );
  });

  it('fences file text with more backticks than the file contains', () => {
    const { messages } = buildPrompt(input({ files: { 'README.md': 'use ```diff blocks``` and ````four````\n' } }));
    expect(messages[1]!.content).toContain('`````\nuse ```diff');
  });

  it('quotes the selection and asks explain mode for no diff', () => {
    const { messages } = buildPrompt(input({ mode: 'explain', selection: { path: 'src/a.ts', startLine: 1, endLine: 1, text: 'const a = 1;' } }));
    expect(messages[0]!.content).toContain('Do not propose a diff');
    expect(messages[1]!.content).toContain('selected lines 1-1 of src/a.ts');
  });

  it('repair message lists every problem', () => {
    expect(buildRepairMessage(['hunk 1 of a.ts: x', 'hunk 2 of b.ts: y']).content).toMatch(/- hunk 1 of a.ts: x\n- hunk 2 of b.ts: y/);
  });
});

describe('context helpers', () => {
  it('reserves the answer once per possible model call', () => {
    expect(fileBudget({ contextWindow: 10_000, maxOutputTokens: 1000 }, 500, 2)).toBe(9500 - 2000 - 500);
    expect(fileBudget({ contextWindow: 1000, maxOutputTokens: 1000 }, 900, 3)).toBe(0);
  });

  it('keeps the focus lines when cutting, and marks both gaps', () => {
    const text = numbered(100);
    const cut = cutAround('f.ts', text, [50, 50], 200);
    expect(cut.text).toContain('const line50 = 50;');
    expect(cut.text.split('\n')[0]).toMatch(/^… \[lines 1-\d+ of f.ts/);
    expect(cut.tokens).toBeLessThanOrEqual(200);
    expect(countTokens(cut.text)).toBeLessThanOrEqual(200);
  });
});
