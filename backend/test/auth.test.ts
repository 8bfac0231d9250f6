import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskView } from '@patchpad/shared';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, json, startTestApi, type ApiError, type TestApi } from './support';

const taskBody = { prompt: 'add a dark-mode toggle', files: { 'src/App.tsx': 'export default function App() { return null; }\n' } };

describe('auth against the Firebase Auth emulator', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const post = (headers: Record<string, string>) => fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers, body: JSON.stringify(taskBody) });

  it('refuses a request with no token with 401 and says how to sign in', async () => {
    const res = await post({ 'Content-Type': 'application/json' });
    expect(res.status).toBe(401);
    expect((await json<ApiError>(res)).error.message).toMatch(/Authorization: Bearer/);
  });

  it('refuses a forged or garbled token with 401', async () => {
    for (const token of ['not-a-jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', `${(await emulatorUser()).idToken}x`.replace(/\.[^.]*$/, '.tampered')]) {
      const res = await post(authed(token));
      expect(res.status, token).toBe(401);
    }
  });

  it('accepts a valid emulator ID token: 202 with a queued task owned by that user', async () => {
    const user = await emulatorUser();
    const res = await post(authed(user.idToken));
    expect(res.status).toBe(202);
    const { task } = await json<{ task: TaskView }>(res);
    expect(task).toMatchObject({ status: 'queued', uid: user.uid, input: { paths: ['src/App.tsx'], mode: 'patch' } });
    expect(res.headers.get('location')).toBe(`/api/agent/tasks/${task.id}`);
  });

  it("does not show one user another user's task", async () => {
    const [alice, bob] = await Promise.all([emulatorUser(), emulatorUser()]);
    const { task } = await json<{ task: TaskView }>(post(authed(alice.idToken)));
    const asBob = await fetch(`${api.url}/api/agent/tasks/${task.id}`, { headers: authed(bob.idToken) });
    expect(asBob.status).toBe(404);
    const asAlice = await fetch(`${api.url}/api/agent/tasks/${task.id}`, { headers: authed(alice.idToken) });
    expect(asAlice.status).toBe(200);
  });

  it('public client config needs no token and names the emulator', async () => {
    const res = await fetch(`${api.url}/api/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ firebase: { projectId: 'demo-patchpad' }, authEmulatorUrl: `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}` });
  });
});
