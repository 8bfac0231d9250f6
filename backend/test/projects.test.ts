import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STARTER_FILES, type MergeConflictDetails, type ProjectSnapshot, type SaveProjectResponse, type VersionPage } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, json, startTestApi, type ApiError, type TestApi } from './support';

describe('projects on the fs store', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi();
    token = (await emulatorUser()).idToken;
  });
  afterAll(() => api.close());

  const call = (method: string, path: string, body?: unknown, t = token) =>
    fetch(`${api.url}${path}`, { method, headers: authed(t), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('creates the starter project, saves a change, and loads the newest version back', async () => {
    const created = await json<ProjectSnapshot>(call('POST', '/api/projects', { name: 'Demo' }));
    expect(created.files).toEqual(STARTER_FILES);
    const id = created.project.id;
    const files = { ...created.files, 'src/App.tsx': created.files['src/App.tsx']!.replace('Hello', 'Howdy') };
    const saved = await call('PUT', `/api/projects/${id}/files`, { files, baseVersion: created.version });
    expect(saved.status).toBe(200);
    const loaded = await json<ProjectSnapshot>(call('GET', `/api/projects/${id}`));
    expect(loaded.files['src/App.tsx']).toContain('Howdy');
    expect(loaded.version).toBe((await json<SaveProjectResponse>(saved)).version);
    const { versions } = await json<VersionPage>(call('GET', `/api/projects/${id}/versions`));
    expect(versions).toHaveLength(2);
    // Old versions stay loadable.
    const first = await json<ProjectSnapshot>(call('GET', `/api/projects/${id}?version=${created.version}`));
    expect(first.files['src/App.tsx']).toContain('Hello');
  });

  it('stores each distinct content once: a one-file change adds one blob', async () => {
    const count = async () => {
      const dirs = await readdir(join(api.config.DATA_DIR, 'store', 'blobs'));
      let n = 0;
      for (const d of dirs) n += (await readdir(join(api.config.DATA_DIR, 'store', 'blobs', d))).length;
      return n;
    };
    const created = await json<ProjectSnapshot>(
      call('POST', '/api/projects', { name: 'Blobs', files: { 'a.txt': 'unique-a-content\n', 'b.txt': 'unique-b\n' } }),
    );
    const before = await count();
    await call('PUT', `/api/projects/${created.project.id}/files`, { files: { 'a.txt': 'unique-a-content\n', 'b.txt': 'unique-b changed\n' } });
    expect(await count()).toBe(before + 1);
  });

  it('refuses a save from a stale base version that clashes with the newer one: 409 merge_conflict', async () => {
    const created = await json<ProjectSnapshot>(call('POST', '/api/projects', { name: 'Race' }));
    const id = created.project.id;
    await call('PUT', `/api/projects/${id}/files`, { files: { 'a.txt': 'one' }, baseVersion: created.version });
    const stale = await call('PUT', `/api/projects/${id}/files`, { files: { 'a.txt': 'two' }, baseVersion: created.version });
    expect(stale.status).toBe(409);
    expect((await json<ApiError>(stale)).error).toMatchObject({ code: 'merge_conflict', details: { conflicts: ['a.txt'] } });
  });

  it('lets exactly one of several saves from the same base win; the others get 409 with the winner', async () => {
    const created = await json<ProjectSnapshot>(call('POST', '/api/projects', { name: 'Tabs' }));
    const id = created.project.id;
    const saves = await Promise.all(
      ['one', 'two', 'three', 'four'].map((text) => call('PUT', `/api/projects/${id}/files`, { files: { 'a.txt': text }, baseVersion: created.version })),
    );
    const statuses = saves.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const winner = await json<SaveProjectResponse>(saves.find((r) => r.status === 200)!);
    for (const lost of saves.filter((r) => r.status === 409)) {
      expect((await json<ApiError<MergeConflictDetails>>(lost)).error.details!.latestVersion).toBe(winner.version);
    }
    const loaded = await json<ProjectSnapshot>(call('GET', `/api/projects/${id}`));
    expect(loaded.version).toBe(winner.version);
    expect(['one', 'two', 'three', 'four']).toContain(loaded.files['a.txt']);
  });

  it('rejects bad input with 400 naming the problem, and writes nothing', async () => {
    const created = await json<ProjectSnapshot>(call('POST', '/api/projects', { name: 'Bad' }));
    const id = created.project.id;
    const cases: [unknown, RegExp][] = [
      [{ files: { '../etc/passwd': 'x' } }, /segments/],
      [{ files: { '/abs.ts': 'x' } }, /relative/],
      [{ files: { 'a.ts': 42 } }, /files/],
      [{ files: {}, extra: true }, /extra|Unrecognized/i],
    ];
    for (const [body, message] of cases) {
      const res = await call('PUT', `/api/projects/${id}/files`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json<ApiError>(res)).error.message).toMatch(message);
    }
    const invalidJson = await fetch(`${api.url}/api/projects/${id}/files`, { method: 'PUT', headers: authed(token), body: '{"files":' });
    expect(invalidJson.status).toBe(400);
    expect((await json<ApiError>(invalidJson)).error.message).toMatch(/not valid JSON/);
    const { versions } = await json<VersionPage>(call('GET', `/api/projects/${id}/versions`));
    expect(versions).toHaveLength(1);
  });

  it('keeps users apart: another user cannot read or overwrite my project', async () => {
    const created = await json<ProjectSnapshot>(call('POST', '/api/projects', { name: 'Mine' }));
    const other = (await emulatorUser()).idToken;
    expect((await call('GET', `/api/projects/${created.project.id}`, undefined, other)).status).toBe(404);
    expect((await call('PUT', `/api/projects/${created.project.id}/files`, { files: { 'x.ts': '' } }, other)).status).toBe(404);
  });
});
