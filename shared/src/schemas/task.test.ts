import { describe, expect, it } from 'vitest';
import { taskResultSchema } from './task';

describe('task result contract', () => {
  it('still reads records written before placements and the type-check existed', () => {
    const old = { filesModified: [{ path: 'src/App.tsx', patch: '--- a/src/App.tsx\n' }], explanation: 'x' };
    expect(taskResultSchema.parse(old)).toEqual({ ...old, filesModified: [{ ...old.filesModified[0], op: 'modify' }] });
  });

  it('reads per-hunk placements, a resolved path and the check', () => {
    const result = {
      filesModified: [
        {
          path: 'src/App.tsx',
          patch: '',
          op: 'modify',
          writtenPath: 'my-app/src/App.tsx',
          pathResolution: 'suffix',
          hunks: [{ hunkIndex: 0, strategy: 'elided_context', fuzz: 5.2, oldStart: 3, offset: null, skipped: 2 }],
        },
      ],
      explanation: '',
      check: { status: 'new_errors', errors: [{ path: 'src/App.tsx', line: 4, column: 10, code: 2322, message: 'Type x' }], ms: 120 },
    };
    expect(taskResultSchema.parse(result)).toEqual(result);
  });

  it('names the field that is wrong', () => {
    const r = taskResultSchema.safeParse({ filesModified: [], explanation: '', check: { status: 'maybe', errors: [], ms: 1 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['check', 'status']);
  });
});
