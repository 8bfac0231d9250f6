import { describe, expect, it } from 'vitest';
import { createProjectBodySchema, projectFilesSchema, projectPathSchema } from './project';
import { createTaskBodySchema } from './task';

describe('project paths and files', () => {
  it('accepts ordinary relative paths, including unusual but harmless names', () => {
    for (const p of ['a.ts', 'src/App.tsx', 'src/__proto__/x.ts', 'constructor', 'toString.js', 'dir/.env', 'ünïcode/ファイル.ts']) {
      expect(projectPathSchema.safeParse(p).success, p).toBe(true);
    }
  });

  it('refuses paths that could escape or confuse, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /must not be empty/],
      ['/etc/passwd', /relative/],
      ['a/../../b', /"\.\."/],
      ['a//b', /empty/],
      ['./a', /"\."/],
      ['a\\b', /backslashes/],
      ['a\u0000b', /control characters/],
      ['x'.repeat(301), /at most 300/],
      ['__proto__', /reserved/],
    ];
    for (const [p, why] of cases) {
      const r = projectPathSchema.safeParse(p);
      expect(r.success, JSON.stringify(p)).toBe(false);
      expect(r.error!.issues.map((i) => i.message).join('; ')).toMatch(why);
    }
  });

  it('does not silently drop a file named __proto__ from a parsed JSON body', () => {
    const body = JSON.parse('{"name": "P", "files": {"__proto__": "x", "a.ts": "y"}}') as unknown;
    const r = createProjectBodySchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(/reserved/);
    const task = createTaskBodySchema.safeParse(JSON.parse('{"prompt": "p", "files": {"__proto__": "x"}}'));
    expect(task.success).toBe(false);
    expect(projectFilesSchema.parse(JSON.parse('{"constructor": "x"}'))).toEqual({ constructor: 'x' });
  });
});
