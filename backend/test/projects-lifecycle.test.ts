import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_TEMPLATES, TEMPLATE_IDS } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from './support';

type Meta = { id: string; name: string; deletedAt?: string; purgeAt?: string; template?: string };
type Snapshot = { project: Meta; version: string; files: Record<string, string> };

describe('projects: templates, rename, duplicate, trash, purge, history', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    // Pins that lapse in a blink, so that the collector may take what a purge freed.
    api = await startTestApi({}, { fence: { pinMs: 200 } });
    token = (await emulatorUser()).idToken;
  });
  afterAll(() => api.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${api.url}${path}`, { method, headers: authed(token), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = async <T>(res: Promise<Response>, status = 200): Promise<T> => {
    const r = await res;
    expect(r.status, await r.clone().text()).toBe(status);
    return (await r.json()) as T;
  };
  const countBlobs = async () => {
    const root = join(api.config.DATA_DIR, 'store', 'blobs');
    let n = 0;
    for (const d of await readdir(root).catch(() => [])) n += (await readdir(join(root, d))).length;
    return n;
  };

  it('creates a project from each template, with a message that names it', async () => {
    for (const id of TEMPLATE_IDS) {
      const p = await json<Snapshot>(call('POST', '/api/projects', { name: `From ${id}`, template: id }), 201);
      expect(p.files).toEqual(PROJECT_TEMPLATES[id].files);
      expect(p.project.template).toBe(id);
      const { versions } = await json<{ versions: { message?: string }[] }>(call('GET', `/api/projects/${p.project.id}/versions`));
      expect(versions[0]!.message).toBe(`Created from the ${PROJECT_TEMPLATES[id].name} template`);
    }
    const bad = await call('POST', '/api/projects', { name: 'X', template: 'cobol' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/template must be one of: react-ts, vanilla-js/);
  });

  it('renames and duplicates; the copy shares every blob and gets its own history', async () => {
    const p = await json<Snapshot>(call('POST', '/api/projects', { name: 'Original', files: { 'a.ts': 'a unique to duplicate\n' } }), 201);
    const renamed = await json<{ project: Meta }>(call('PATCH', `/api/projects/${p.project.id}`, { name: '  Renamed  ' }));
    expect(renamed.project.name).toBe('Renamed');
    expect((await call('PATCH', `/api/projects/${p.project.id}`, { name: '' })).status).toBe(400);
    const blobs = await countBlobs();
    const copy = await json<Snapshot>(call('POST', `/api/projects/${p.project.id}/duplicate`, {}), 201);
    expect(copy.project).toMatchObject({ name: 'Renamed (copy)' });
    expect(copy.project.id).not.toBe(p.project.id);
    expect(copy.files).toEqual(p.files);
    expect(await countBlobs()).toBe(blobs);
    const { projects } = await json<{ projects: Meta[] }>(call('GET', '/api/projects'));
    expect(projects[0]!.id).toBe(copy.project.id); // most recently changed first
  });

  it('moves a project to the trash (gone from the list, 404 to open or save), restores it, and purges it for good', async () => {
    const p = await json<Snapshot>(
      call('POST', '/api/projects', { name: 'Trash me', files: { 'only-here.ts': `only in the trashed project ${Date.now()}\n` } }),
      201,
    );
    const id = p.project.id;
    const trashed = await json<{ project: Meta }>(call('DELETE', `/api/projects/${id}`));
    expect(Date.parse(trashed.project.purgeAt!) - Date.parse(trashed.project.deletedAt!)).toBe(30 * 24 * 60 * 60_000);
    expect((await json<{ projects: Meta[] }>(call('GET', '/api/projects'))).projects.map((m) => m.id)).not.toContain(id);
    expect((await json<{ projects: Meta[] }>(call('GET', '/api/projects/trash'))).projects.map((m) => m.id)).toContain(id);
    const open = await call('GET', `/api/projects/${id}`);
    expect(open.status).toBe(404);
    expect(((await open.json()) as { error: { message: string } }).error.message).toMatch(/in the trash/);
    expect((await call('PUT', `/api/projects/${id}/files`, { files: { 'x.ts': '' } })).status).toBe(404);
    expect((await call('DELETE', `/api/projects/${id}`)).status).toBe(200); // a retried delete

    await json(call('POST', `/api/projects/${id}/restore`));
    expect((await json<Snapshot>(call('GET', `/api/projects/${id}`))).files).toEqual(p.files);
    expect((await call('DELETE', `/api/projects/trash/${id}`)).status).toBe(409); // not in the trash

    await json(call('DELETE', `/api/projects/${id}`));
    await new Promise((r) => setTimeout(r, 250));
    const before = await countBlobs();
    expect((await api.maintenance.runOnce({ graceMs: 0 })).purged).toEqual([]); // 30 days are not up
    const { purged, gc } = await api.maintenance.runOnce({ graceMs: 0, retentionMs: 0 });
    expect(purged).toEqual([id]);
    expect(gc.deleted).toBeGreaterThanOrEqual(1);
    expect(await countBlobs()).toBeLessThan(before);
    expect((await call('GET', `/api/projects/${id}`)).status).toBe(404);
    expect((await json<{ projects: Meta[] }>(call('GET', '/api/projects/trash'))).projects.map((m) => m.id)).not.toContain(id);
  });

  it('deletes a project in the trash for good when asked', async () => {
    const p = await json<Snapshot>(call('POST', '/api/projects', { name: 'Forever', files: { 'a.ts': 'x\n' } }), 201);
    await json(call('DELETE', `/api/projects/${p.project.id}`));
    expect((await call('DELETE', `/api/projects/trash/${p.project.id}`)).status).toBe(204);
    expect((await call('POST', `/api/projects/${p.project.id}/restore`)).status).toBe(404);
  });

  it('pages history newest first, opens an old version, and restores it as a new version', async () => {
    const p = await json<Snapshot>(call('POST', '/api/projects', { name: 'History', files: { 'n.txt': '0\n' } }), 201);
    const id = p.project.id;
    let version = p.version;
    const saved: string[] = [p.version];
    for (let i = 1; i <= 34; i++) {
      version = (
        await json<{ version: string }>(call('PUT', `/api/projects/${id}/files`, { files: { 'n.txt': `${i}\n` }, baseVersion: version, message: `save ${i}` }))
      ).version;
      saved.push(version);
    }
    const first = await json<{ versions: { id: string; message?: string }[]; next: string | null }>(call('GET', `/api/projects/${id}/versions`));
    expect(first.versions).toHaveLength(30);
    expect(first.versions[0]).toMatchObject({ id: saved[34], message: 'save 34' });
    const rest = await json<{ versions: { id: string }[]; next: string | null }>(call('GET', `/api/projects/${id}/versions?before=${first.next}&limit=100`));
    expect(rest.next).toBeNull();
    expect([...first.versions, ...rest.versions].map((v) => v.id)).toEqual([...saved].reverse());
    expect((await call('GET', `/api/projects/${id}/versions?limit=0`)).status).toBe(400);

    const old = await json<Snapshot>(call('GET', `/api/projects/${id}?version=${saved[3]}`));
    expect(old.files).toEqual({ 'n.txt': '3\n' });
    const restored = await json<Snapshot>(call('POST', `/api/projects/${id}/versions/${saved[3]}/restore`));
    expect(restored.files).toEqual({ 'n.txt': '3\n' });
    expect(restored.version).not.toBe(saved[3]);
    const again = await json<Snapshot>(call('POST', `/api/projects/${id}/versions/${saved[3]}/restore`));
    expect(again.version).toBe(restored.version); // a retry restores once
    const latest = await json<{ versions: { id: string; restoredFrom?: string; parent?: string }[] }>(call('GET', `/api/projects/${id}/versions?limit=1`));
    expect(latest.versions[0]).toMatchObject({ id: restored.version, restoredFrom: saved[3], parent: saved[34] });
  });
});
