import { describe, expect, it } from 'vitest';
import type { TaskInput } from '@patchpad/shared';
import { buildMessages, buildRepairMessage } from './prompt';

const input = (over: Partial<TaskInput> = {}): TaskInput => ({
  prompt: 'add a dark-mode toggle',
  mode: 'patch',
  files: { 'src/App.tsx': 'export default function App() {}\n', 'src/big.ts': 'x'.repeat(500), 'src/a.ts': 'const a = 1;\n' },
  ...over,
});

describe('buildMessages', () => {
  it('puts the active file first, then smaller files, and states the request', () => {
    const [system, user] = buildMessages(input({ activePath: 'src/big.ts' }));
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('```diff');
    const order = ['src/big.ts', 'src/a.ts', 'src/App.tsx'].map((p) => user!.content.indexOf(`File: ${p}`));
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > order[i - 1]!))).toBe(true);
    expect(user!.content.endsWith('Request: add a dark-mode toggle')).toBe(true);
  });

  it('lists files that do not fit the budget by name instead of dropping them silently', () => {
    const [, user] = buildMessages(input({ activePath: 'src/App.tsx' }), 100);
    expect(user!.content).toContain('File: src/App.tsx');
    expect(user!.content).not.toContain('File: src/big.ts');
    expect(user!.content).toContain('not shown): src/big.ts');
  });

  it('fences file text with more backticks than the file contains', () => {
    const [, user] = buildMessages(input({ files: { 'README.md': 'use ```diff blocks``` and ````four````\n' } }));
    expect(user!.content).toContain('`````\nuse ```diff');
  });

  it('quotes the selection and asks explain mode for no diff', () => {
    const [system, user] = buildMessages(input({ mode: 'explain', selection: { path: 'src/a.ts', startLine: 1, endLine: 1, text: 'const a = 1;' } }));
    expect(system!.content).toContain('Do not propose a diff');
    expect(user!.content).toContain('selected lines 1-1 of src/a.ts');
  });

  it('repair message lists every problem', () => {
    expect(buildRepairMessage(['hunk 1 of a.ts: x', 'hunk 2 of b.ts: y']).content).toMatch(/- hunk 1 of a.ts: x\n- hunk 2 of b.ts: y/);
  });
});
