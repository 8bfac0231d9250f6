import { describe, expect, it } from 'vitest';
import { checkImportedFiles, decodeText, ImportError, isSkippedEntry, planImport } from './import';

describe('import rules', () => {
  it('normalises Windows and ./ paths, strips one enclosing folder, and reports each ignored folder once', () => {
    const plan = planImport(['proj/', 'proj\\src\\a.ts', './proj/b.ts', 'proj/node_modules/x/index.js', 'proj/node_modules/y.js', 'proj/.DS_Store']);
    expect([...plan.keep.values()]).toEqual(['src/a.ts', 'b.ts']);
    expect(plan.skipped).toEqual([
      { path: 'proj/node_modules', reason: 'node_modules is never imported' },
      { path: 'proj/.DS_Store', reason: '.DS_Store is never imported' },
    ]);
  });

  it('keeps paths as they are when they do not share one folder', () => {
    expect([...planImport(['a/x.ts', 'b/y.ts', 'z.ts']).keep.values()]).toEqual(['a/x.ts', 'b/y.ts', 'z.ts']);
    expect([...planImport(['only/one.ts']).keep.values()]).toEqual(['one.ts']);
  });

  it('refuses a path the API would refuse, naming it', () => {
    expect(() => planImport(['ok.ts', 'a/../../x'])).toThrow(ImportError);
    expect(() => planImport(['ok.ts', 'a/../../x'])).toThrow(/"a\/..\/..\/x" cannot be a project path/);
    expect(() => planImport(Array.from({ length: 501 }, (_, i) => `f${i}`))).toThrow(/at most 500/);
  });

  it('tells folders and ignored entries from files without reading them', () => {
    expect(['dir/', '.git/config', 'a/node_modules/b'].map(isSkippedEntry)).toEqual([true, true, true]);
    expect(isSkippedEntry('src/gitignore.ts')).toBe(false);
  });

  it('decodes UTF-8 text (dropping a BOM) and calls anything else binary', () => {
    expect(decodeText(new TextEncoder().encode('\uFEFFhéllo'))).toBe('héllo');
    expect(decodeText(new Uint8Array([0x68, 0, 0x69]))).toBeNull();
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x41]))).toBeNull();
  });

  it('checks the project limits with messages that name the file', () => {
    expect(() => checkImportedFiles({})).toThrow(/Nothing to import/);
    expect(() => checkImportedFiles({ 'big.txt': 'x'.repeat(1024 * 1024 + 1) })).toThrow(/"big.txt" is 1048577 bytes/);
    expect(() => checkImportedFiles(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, 'x'.repeat(1000 * 1000)])))).toThrow(
      /add up to 9000000 bytes/,
    );
  });
});
