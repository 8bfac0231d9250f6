import { describe, expect, it } from 'vitest';
import { createTaskBodySchema } from '@patchpad/shared';
import { fixRequest } from './fix';

const files = { 'src/App.tsx': 'export default 1;\n', 'package.json': '{}' };

describe('fixRequest', () => {
  it('asks for a patch naming each error and points the cursor at the first file and line', () => {
    const body = fixRequest(
      [
        { kind: 'runtime', path: 'src/App.tsx', line: 4, column: 9, title: 'TypeError', message: 'x is undefined' },
        { kind: 'module', path: null, line: null, column: null, title: 'ModuleNotFoundError', message: 'Could not find "lodash"' },
      ],
      files,
    )!;
    expect(body.prompt).toContain('- TypeError in src/App.tsx at line 4, column 9: x is undefined');
    expect(body.prompt).toContain('- ModuleNotFoundError: Could not find "lodash"');
    expect(body).toMatchObject({ mode: 'patch', activePath: 'src/App.tsx', cursor: { path: 'src/App.tsx', line: 4, column: 9 } });
    expect(createTaskBodySchema.safeParse(body).success).toBe(true);
  });

  it('does not point at a file the project does not have, and is null with nothing to fix', () => {
    const body = fixRequest([{ kind: 'runtime', path: 'node_modules/react/index.js', line: 1, column: 1, title: 'Error', message: 'boom' }], files)!;
    expect(body.activePath).toBeUndefined();
    expect(createTaskBodySchema.safeParse(body).success).toBe(true);
    expect(fixRequest([], files)).toBeNull();
  });
});
