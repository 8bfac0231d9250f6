import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prettyLine, Supervisor } from './supervisor';

/** Running, not a zombie: in a container nobody may reap the orphan, so kill(pid, 0) is not enough. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('prettyLine', () => {
  it('renders pino JSON as level, message and the interesting fields', () => {
    expect(prettyLine('{"level":30,"time":1,"pid":2,"hostname":"h","service":"backend","msg":"backend listening","url":"http://x"}')).toBe(
      'INFO  backend listening  url=http://x',
    );
    expect(prettyLine('plain text')).toBe('plain text');
    expect(prettyLine('{not json')).toBe('{not json');
  });
});

describe('Supervisor', () => {
  it('prefixes output and stops the whole process group, grandchildren included', async () => {
    const lines: string[] = [];
    // The child starts a grandchild that would outlive a plain kill of the child.
    const script =
      "const {spawn}=require('child_process'); const g=spawn('sleep',['30'],{stdio:'ignore'}); console.log('grandchild '+g.pid); setInterval(()=>{},1000)";
    const sup = new Supervisor([{ name: 'demo', command: process.execPath, args: ['-e', script] }], () => undefined, { output: (l) => lines.push(l) });
    sup.startAll();
    for (let i = 0; i < 50 && !lines.some((l) => l.includes('grandchild')); i++) await new Promise((r) => setTimeout(r, 50));
    const line = lines.find((l) => l.includes('grandchild'))!;
    expect(line).toMatch(/demo \|.* grandchild \d+$/);
    const grandchild = Number(line.split(' ').at(-1));
    expect(alive(grandchild)).toBe(true);
    await sup.stop(2000);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports an unexpected exit as fatal unless the process may restart', async () => {
    const fatal: string[] = [];
    const sup = new Supervisor([{ name: 'crash', command: process.execPath, args: ['-e', 'process.exit(3)'] }], (m) => fatal.push(m), {
      output: () => undefined,
    });
    sup.startAll();
    for (let i = 0; i < 50 && fatal.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(fatal).toEqual(['crash exited (exit code 3)']);
    await sup.stop();
  });
});
