import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, PROJECT_TEMPLATES } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from './support';

type Snapshot = { project: { id: string; name: string }; version: string; files: Record<string, string>; skipped?: { path: string; reason: string }[] };

describe('projects: export as zip, import a zip or a folder', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi();
    token = (await emulatorUser()).idToken;
  });
  afterAll(() => api.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${api.url}${path}`, { method, headers: authed(token), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const importZip = (zip: Uint8Array, name = 'Imported') =>
    fetch(`${api.url}/api/projects/import?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/zip' },
      body: Buffer.from(zip),
    });
  const refusal = async (res: Response) => ({ status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message });

  it('exports a project as a zip that imports back to identical files', async () => {
    const files = { ...PROJECT_TEMPLATES['react-ts'].files, 'docs/ünïcode ファイル.md': '# héllo\r\nCRLF kept\r\n', 'empty.txt': '' };
    const p = (await (await call('POST', '/api/projects', { name: 'Round trip', files })).json()) as Snapshot;
    const res = await call('GET', `/api/projects/${p.project.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="Round trip.zip"/);
    const zip = new Uint8Array(await res.arrayBuffer());
    const again = await call('GET', `/api/projects/${p.project.id}/export`);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(zip))).toBe(true); // same files, same bytes

    const imported = await importZip(zip, 'Round trip (imported)');
    expect(imported.status).toBe(201);
    const snapshot = (await imported.json()) as Snapshot;
    expect(snapshot.files).toEqual(files);
    expect(snapshot.project.name).toBe('Round trip (imported)');
  });

  it('strips the folder a zipped folder puts everything in, skips node_modules, .git and binary files, and says so', async () => {
    const zip = zipSync({
      'my-app/package.json': strToU8('{}\n'),
      'my-app/src/index.js': strToU8('console.log(1);\n'),
      'my-app/node_modules/react/index.js': strToU8('module.exports = {};\n'),
      'my-app/.git/HEAD': strToU8('ref: refs/heads/main\n'),
      'my-app/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
      'my-app/empty-dir/': new Uint8Array(0),
    });
    const res = await importZip(zip);
    expect(res.status).toBe(201);
    const snapshot = (await res.json()) as Snapshot;
    expect(snapshot.files).toEqual({ 'package.json': '{}\n', 'src/index.js': 'console.log(1);\n' });
    expect(snapshot.skipped).toEqual([
      { path: 'my-app/node_modules', reason: 'node_modules is never imported' },
      { path: 'my-app/.git', reason: '.git is never imported' },
      { path: 'logo.png', reason: 'binary file (projects hold text)' },
    ]);
  });

  it('refuses with a 4xx naming the problem: a path outside the project, too many files, a zip bomb, not a zip, too large', async () => {
    expect(await refusal(await importZip(zipSync({ 'a/../../etc/passwd': strToU8('x') })))).toMatchObject({
      status: 400,
      message: /"a\/..\/..\/etc\/passwd" cannot be a project path/,
    });
    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}.txt`, strToU8(`${i}`)]));
    expect(await refusal(await importZip(zipSync(many)))).toMatchObject({ status: 400, message: /at most 500/ });
    const bomb = zipSync({ 'big.txt': new Uint8Array(64 * 1024 * 1024).fill(0x61) }, { level: 9 });
    expect(bomb.length).toBeLessThan(IMPORT_LIMITS.maxArchiveBytes);
    expect(await refusal(await importZip(bomb))).toMatchObject({ status: 400, message: /"big.txt" is larger than 1048576 characters/ });
    expect(await refusal(await importZip(strToU8('just text')))).toMatchObject({ status: 400, message: /not a zip archive/ });
    expect(await refusal(await importZip(new Uint8Array(IMPORT_LIMITS.maxArchiveBytes + 1)))).toMatchObject({ status: 413, message: /at most 16777216 bytes/ });
    const { projects } = (await (await call('GET', '/api/projects')).json()) as { projects: { name: string }[] };
    expect(projects.filter((p) => p.name === 'Imported')).toHaveLength(1); // only the good import above
  });

  it('imports a folder the browser read (JSON), with the same path rules', async () => {
    const ok = await call('POST', '/api/projects/import', { name: 'Folder', files: { 'index.html': '<p>hi</p>\n' } });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as Snapshot).files).toEqual({ 'index.html': '<p>hi</p>\n' });
    const bad = await call('POST', '/api/projects/import', { name: 'Folder', files: { '/abs.txt': 'x' } });
    expect(await refusal(bad)).toMatchObject({ status: 400, message: /files\.\/abs\.txt: a path must be relative/ });
  });
});
