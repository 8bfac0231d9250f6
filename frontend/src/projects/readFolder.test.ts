import { describe, expect, it } from 'vitest';
import { readFolder } from './readFolder';

/** A FileList as `<input webkitdirectory>` gives it: each File knows its path inside the picked folder. */
function folder(entries: Record<string, string | Uint8Array<ArrayBuffer>>): FileList {
  const files = Object.entries(entries).map(([path, body]) => {
    const file = new File([body], path.slice(path.lastIndexOf('/') + 1));
    Object.defineProperty(file, 'webkitRelativePath', { value: path });
    return file;
  });
  return Object.assign(files, { item: (i: number) => files[i] ?? null }) as unknown as FileList;
}

describe('reading a picked folder', () => {
  it('names the project after the folder, strips it from paths, and skips what the server would skip', async () => {
    const r = await readFolder(
      folder({
        'my-site/index.html': '<p>hi</p>\n',
        'my-site/src/main.js': 'console.log(1);\n',
        'my-site/node_modules/x/index.js': 'x',
        'my-site/logo.png': new Uint8Array([0x89, 0x50, 0, 0]),
      }),
    );
    expect(r.name).toBe('my-site');
    expect(r.files).toEqual({ 'index.html': '<p>hi</p>\n', 'src/main.js': 'console.log(1);\n' });
    expect(r.skipped.map((s) => s.path)).toEqual(['my-site/node_modules', 'logo.png']);
  });

  it('refuses a folder with nothing to import, saying why', async () => {
    await expect(readFolder(folder({ 'empty/node_modules/a.js': 'x' }))).rejects.toThrow(/Nothing to import/);
  });
});
