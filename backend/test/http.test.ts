import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, json, startTestApi, type ApiError, type TestApi } from './support';

describe('HTTP surface: headers, CORS, limits, health', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '3', CORS_ORIGINS: 'http://localhost:5173' });
  });
  afterAll(() => api.close());

  it('sends helmet security headers and a request id', async () => {
    const res = await fetch(`${api.url}/health`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS only from configured origins', async () => {
    const ok = await fetch(`${api.url}/api/config`, { headers: { Origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const evil = await fetch(`${api.url}/api/config`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect((await json<ApiError>(evil)).error.message).toMatch(/CORS_ORIGINS/);
  });

  it('rate-limits task creation per user with 429 and Retry-After, other users unaffected', async () => {
    const [alice, bob] = await Promise.all([emulatorUser(), emulatorUser()]);
    const create = (token: string) =>
      fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify({ prompt: 'x', files: { 'a.ts': '' } }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await create(alice.idToken)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await create(alice.idToken);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json<ApiError>(limited)).error.message).toMatch(/at most 3 per minute/);
    expect((await create(bob.idToken)).status).toBe(202);
  });

  it('rejects oversized and malformed bodies with a clear 4xx', async () => {
    const { idToken } = await emulatorUser();
    const huge = await fetch(`${api.url}/api/projects`, {
      method: 'POST',
      headers: authed(idToken),
      body: JSON.stringify({ name: 'x', pad: 'a'.repeat(11 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const wrongId = await fetch(`${api.url}/api/agent/tasks/not-a-uuid`, { headers: authed(idToken) });
    expect(wrongId.status).toBe(400);
    expect((await json<ApiError>(wrongId)).error.message).toMatch(/task id is a UUID/);
  });

  it('answers 404 for unknown routes with the route in the message', async () => {
    const res = await fetch(`${api.url}/api/nope`, { headers: authed((await emulatorUser()).idToken) });
    expect(res.status).toBe(404);
    expect((await json<ApiError>(res)).error.message).toBe('No route for GET /api/nope');
  });

  it('reports dependency health in /health/detailed', async () => {
    const res = await fetch(`${api.url}/health/detailed`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { redis: { ok: true }, storage: { ok: true, driver: 'fs' } }, models: { configured: 0 } });
  });
});
