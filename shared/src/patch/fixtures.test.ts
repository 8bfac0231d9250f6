import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { extractDiff } from './extract.js';

/** Golden fixtures (see fixtures/README.md): they fail until a person has reviewed the output. */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const WRITE = process.env.PATCHPAD_FIXTURES === 'write' && !process.env.CI;

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function run(dir: string) {
  const patch = readFileSync(join(dir, 'patch.diff'), 'utf8');
  const r = applyPatch(readTree(join(dir, 'before')), extractDiff(patch) ?? patch);
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.files)) if (v !== null) files[k] = v;
  const conflicts = r.results.flatMap((x) => x.conflicts).map((c) => ({ path: c.path, hunkIndex: c.hunkIndex, reason: c.reason }));
  return { ok: r.ok, files, conflicts };
}

function writePending(dir: string, got: ReturnType<typeof run>): void {
  if (got.ok) {
    for (const [p, content] of Object.entries(got.files)) {
      mkdirSync(dirname(join(dir, 'expected.pending', p)), { recursive: true });
      writeFileSync(join(dir, 'expected.pending', p), content);
    }
  } else writeFileSync(join(dir, 'expected-conflicts.pending.json'), `${JSON.stringify(got.conflicts, null, 2)}\n`);
}

const cases = readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory());

describe('golden fixtures', () => {
  it('exist', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('%s', (name) => {
    const dir = join(ROOT, name);
    const got = run(dir);
    if (existsSync(join(dir, 'expected'))) {
      expect(got.conflicts).toEqual([]);
      expect(got.files).toEqual(readTree(join(dir, 'expected')));
    } else if (existsSync(join(dir, 'expected-conflicts.json'))) {
      expect(got.ok).toBe(false);
      expect(got.files).toEqual(readTree(join(dir, 'before')));
      expect(got.conflicts).toEqual(JSON.parse(readFileSync(join(dir, 'expected-conflicts.json'), 'utf8')));
    } else {
      if (WRITE) writePending(dir, got);
      expect.fail(
        `Fixture "${name}" has no reviewed output. ` +
          (WRITE
            ? `Wrote ${got.ok ? 'expected.pending/' : 'expected-conflicts.pending.json'}: review it, then rename it to ${got.ok ? 'expected/' : 'expected-conflicts.json'}.`
            : 'Run `PATCHPAD_FIXTURES=write npx vitest run --project unit shared/src/patch/fixtures.test.ts` to write a pending output to review (see fixtures/README.md).'),
      );
    }
  });
});
