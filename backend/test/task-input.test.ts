import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from './support';

/** A task may start from a saved version of the user's project and carry only the changes. */
describe('task input from a saved project version', () => {
  let api: TestApi;
  let alice: { idToken: string; uid: string };
  let bob: { idToken: string };
  let project: { id: string; version: string };

  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '1000', QUOTA_FREE_TASKS_IN_FLIGHT: '100' }, { background: false });
    [alice, bob] = await Promise.all([emulatorUser(), emulatorUser()]);
    const made = await fetch(`${api.url}/api/projects`, {
      method: 'POST',
      headers: authed(alice.idToken),
      body: JSON.stringify({ name: 'Base', files: { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', 'src/c.ts': 'gone\n' } }),
    });
    const body = (await made.json()) as { project: { id: string }; version: string };
    project = { id: body.project.id, version: body.version };
  });
  afterAll(() => api.close());

  const create = (token: string, body: Record<string, unknown>) =>
    fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify({ prompt: 'change it', ...body }) });

  it('fills in the saved files, applies the changes and deletions, and stores the whole input', async () => {
    const res = await create(alice.idToken, {
      projectId: project.id,
      baseVersion: project.version,
      files: { 'src/b.ts': 'export const b = 3;\n', 'src/new.ts': 'new\n' },
      deleted: ['src/c.ts'],
      activePath: 'src/a.ts',
    });
    expect(res.status).toBe(202);
    const { task } = (await res.json()) as { task: { id: string; input: { paths: string[] } } };
    expect(task.input.paths.sort()).toEqual(['src/a.ts', 'src/b.ts', 'src/new.ts']);
    const full = (await (await fetch(`${api.url}/api/agent/tasks/${task.id}?include=input`, { headers: authed(alice.idToken) })).json()) as {
      task: { input: { files: Record<string, string>; baseVersion: string; deleted?: string[] } };
    };
    expect(full.task.input.files).toEqual({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 3;\n', 'src/new.ts': 'new\n' });
    expect(full.task.input.baseVersion).toBe(project.version);
    expect(full.task.input.deleted).toBeUndefined();
  });

  it("answers 404 for another user's project or an unknown version, and 400 naming the field otherwise", async () => {
    expect((await create(bob.idToken, { projectId: project.id, baseVersion: project.version, files: {} })).status).toBe(404);
    expect((await create(bob.idToken, { projectId: project.id, files: { 'a.ts': '' } })).status).toBe(404);
    expect((await create(alice.idToken, { projectId: project.id, baseVersion: '20200101T000000000Z-dead', files: {} })).status).toBe(404);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ baseVersion: project.version, files: {} }, /baseVersion: baseVersion needs the projectId/],
      [{ files: { 'a.ts': '' }, deleted: ['a.ts'] }, /deleted: deleted only means something with a baseVersion/],
      [{ files: {} }, /files: files must contain at least one file/],
      [
        { projectId: project.id, baseVersion: project.version, files: {}, activePath: 'src/c.ts', deleted: ['src/c.ts'] },
        /activePath: activePath names "src\/c\.ts"/,
      ],
      [{ projectId: project.id, baseVersion: 'no spaces allowed', files: {} }, /baseVersion/],
    ];
    for (const [body, message] of cases) {
      const res = await create(alice.idToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
  });
});
