import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from './support';

/**
 * The access matrix: every authenticated route, called with no token, a garbled one, an
 * expired one, another user's, and (for the gateway) a user's instead of the service token.
 * Strangers get 404 for what is not theirs (never 403, so ids do not leak), and nothing they
 * send changes the owner's task or project.
 */

/** An emulator token with its expiry moved into the past (emulator tokens are unsigned). */
function expired(token: string): string {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, number>;
  const past = Math.floor(Date.now() / 1000) - 3600;
  const body = Buffer.from(JSON.stringify({ ...claims, iat: past - 3600, auth_time: past - 3600, exp: past })).toString('base64url');
  return `${header}.${body}.`;
}

describe('access matrix', () => {
  let api: TestApi;
  let alice: { idToken: string; uid: string };
  let bob: { idToken: string; uid: string };
  let taskId: string;
  let projectId: string;
  let version: string;

  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: token === null ? { 'Content-Type': 'application/json' } : authed(token),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    // Hundreds of refused sign-ins from one address: the per-IP limit on them is tested in task-limits.test.ts.
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '1000', UNAUTHENTICATED_PER_MINUTE: '100000' });
    [alice, bob] = await Promise.all([emulatorUser(), emulatorUser()]);
    const task = await call('POST', '/api/agent/tasks', alice.idToken, { prompt: 'mine', files: { 'a.ts': 'x' } });
    taskId = ((await task.json()) as { task: { id: string } }).task.id;
    const project = (await (await call('POST', '/api/projects', alice.idToken, { name: 'Mine' })).json()) as { project: { id: string }; version: string };
    projectId = project.project.id;
    version = project.version;
  });
  afterAll(() => api.close());

  const owned = () => [
    { method: 'GET', path: `/api/agent/tasks/${taskId}` },
    { method: 'POST', path: `/api/agent/tasks/${taskId}/cancel` },
    { method: 'POST', path: `/api/agent/tasks/${taskId}/decision`, body: { files: [{ path: 'a.ts', hunks: ['accepted'] }] } },
    { method: 'GET', path: `/api/agent/tasks/${taskId}/events` },
    { method: 'GET', path: `/api/projects/${projectId}` },
    { method: 'GET', path: `/api/projects/${projectId}?version=${version}` },
    { method: 'PUT', path: `/api/projects/${projectId}/files`, body: { files: { 'a.ts': 'bob was here' } } },
    { method: 'GET', path: `/api/projects/${projectId}/versions` },
    { method: 'PATCH', path: `/api/projects/${projectId}`, body: { name: 'Bob’s now' } },
    { method: 'POST', path: `/api/projects/${projectId}/duplicate`, body: {} },
    { method: 'POST', path: `/api/projects/${projectId}/versions/${version}/restore` },
    { method: 'GET', path: `/api/projects/${projectId}/export` },
    { method: 'DELETE', path: `/api/projects/${projectId}` },
    { method: 'POST', path: `/api/projects/${projectId}/restore` },
    { method: 'DELETE', path: `/api/projects/trash/${projectId}` },
  ];
  const collections = [
    { method: 'GET', path: '/api/agent/tasks' },
    { method: 'POST', path: '/api/agent/tasks', body: { prompt: 'p', files: { 'a.ts': '' } } },
    { method: 'GET', path: '/api/projects' },
    { method: 'POST', path: '/api/projects', body: { name: 'P' } },
    { method: 'GET', path: '/api/projects/trash' },
    { method: 'POST', path: '/api/projects/import', body: { name: 'P', files: { 'a.ts': '' } } },
  ];

  it('no token, a garbled one or an expired one: 401 everywhere, saying what to do', async () => {
    const tokens: Array<[string, string | null]> = [
      ['none', null],
      ['garbled', 'not.a.jwt'],
      ['expired', expired(alice.idToken)],
    ];
    for (const [kind, token] of tokens) {
      for (const r of [...owned(), ...collections]) {
        const res = await call(r.method, r.path, token, r.body);
        expect(res.status, `${kind} ${r.method} ${r.path}`).toBe(401);
        const message = ((await res.json()) as { error: { message: string } }).error.message;
        expect(message.length, `${kind} ${r.method} ${r.path}`).toBeGreaterThan(10);
      }
    }
  });

  it("another user's token: 404 for each of my task and project routes, and my data is unchanged", async () => {
    for (const r of owned()) {
      const res = await call(r.method, r.path, bob.idToken, r.body);
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
      if (r.path.endsWith('/events')) await res.body?.cancel();
    }
    const lists = await Promise.all([call('GET', '/api/agent/tasks', bob.idToken), call('GET', '/api/projects', bob.idToken)]);
    const [tasks, projects] = (await Promise.all(lists.map((l) => l.json()))) as [{ tasks: unknown[] }, { projects: unknown[] }];
    expect(tasks.tasks).toEqual([]);
    expect(projects.projects).toEqual([]);

    const task = (await (await call('GET', `/api/agent/tasks/${taskId}`, alice.idToken)).json()) as { task: { status: string } };
    expect(task.task.status).toBe('queued'); // bob's cancel did nothing
    const project = (await (await call('GET', `/api/projects/${projectId}`, alice.idToken)).json()) as {
      project: { name: string; deletedAt?: string };
      version: string;
      files: Record<string, string>;
    };
    expect(project.version).toBe(version); // bob's save and restore did nothing
    expect(project.project).toMatchObject({ name: 'Mine' }); // nor his rename and delete
    expect(project.project.deletedAt).toBeUndefined();
    expect(Object.values(project.files).join('')).not.toContain('bob was here');
  });

  it('the gateway takes only the service token: a user token, none or a wrong one get 401', async () => {
    const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    for (const [kind, auth] of [
      ['user token', `Bearer ${alice.idToken}`],
      ['none', null],
      ['wrong', 'Bearer not-the-service-token'],
    ] as const) {
      for (const [method, path, body] of [
        ['GET', '/gateway/v1/models', undefined],
        ['POST', '/gateway/v1/chat/completions', chat],
      ] as const) {
        const res = await fetch(`${api.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', ...(auth === null ? {} : { Authorization: auth }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect(res.status, `${kind} ${method} ${path}`).toBe(401);
      }
    }
  });
});
