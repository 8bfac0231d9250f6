import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { authed, startTestApi, type TestApi } from './support';

/**
 * Every JSON route gets malformed input: random JSON values, valid bodies with one field
 * replaced by anything, broken JSON text, hostile path params and headers. The API must answer
 * each with a 4xx carrying a message, never a 5xx, and stay healthy. Seeded, so a failure
 * reproduces; PATCHPAD_FUZZ_RUNS raises the count for a longer local run.
 */

const RUNS = Number(process.env.PATCHPAD_FUZZ_RUNS ?? 60);
const SEED = 20261123;

/** A valid body with one (possibly nested) field replaced, added or removed. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const nasty = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom(
      '',
      ' ',
      '..',
      '../x',
      '/etc/passwd',
      'a\u0000b',
      '__proto__',
      'constructor',
      'x'.repeat(70_000),
      -1,
      0,
      1e308,
      2 ** 53,
      true,
      null,
      [],
      {},
    ),
  );
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), nasty).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.string({ maxLength: 20 }), nasty).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', '../a.ts', 'a\\b.ts', 'x/../../y'), nasty).map(([path, content]) => ({
      ...valid,
      files: { [path]: content },
    })),
  );
}

const anyBody = (valid: Record<string, unknown>) => fc.oneof(mutated(valid), fc.jsonValue());

describe('fuzzing the JSON routes: 4xx with a message, never 5xx', () => {
  let api: TestApi;
  let token: string;
  let taskId: string;
  let projectId: string;
  let upstream: Awaited<ReturnType<typeof startFakeOpenAi>>;
  const seen = new Map<number, number>();

  beforeAll(async () => {
    upstream = await startFakeOpenAi(() => 'ok');
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '100000', OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model' });
    token = (await emulatorUser()).idToken;
    const task = await send('POST', '/api/agent/tasks', JSON.stringify({ prompt: 'hi', files: { 'a.ts': 'x' } }));
    taskId = ((await task.json()) as { task: { id: string } }).task.id;
    const project = await send('POST', '/api/projects', JSON.stringify({ name: 'Fuzz' }));
    projectId = ((await project.json()) as { project: { id: string } }).project.id;
  });
  afterAll(async () => {
    await api?.close();
    await upstream?.close();
  });

  async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${api.url}${path}`, { method, headers: { ...authed(token), ...headers }, ...(body === undefined ? {} : { body }) });
  }

  /** The answer is a handled one: below 500, and a 4xx says what is wrong. */
  async function expectHandled(res: Response, what: string): Promise<void> {
    seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
    const text = await res.text();
    if (res.status >= 500) throw new Error(`${what} → ${res.status} ${text.slice(0, 300)}`);
    if (res.status >= 400) {
      const body = JSON.parse(text) as { error?: { message?: unknown } };
      expect(typeof body.error?.message, `${what} → ${res.status} without a message: ${text.slice(0, 200)}`).toBe('string');
      expect((body.error!.message as string).length).toBeGreaterThan(0);
    }
  }

  const routes: Array<{ name: string; method: string; path: () => string; valid: () => Record<string, unknown>; headers?: () => Record<string, string> }> = [
    {
      name: 'create task',
      method: 'POST',
      path: () => '/api/agent/tasks',
      valid: () => ({
        prompt: 'add a test',
        mode: 'patch',
        files: { 'src/a.ts': 'x' },
        activePath: 'src/a.ts',
        cursor: { path: 'src/a.ts', line: 1, column: 1 },
      }),
    },
    {
      name: 'decide',
      method: 'POST',
      path: () => `/api/agent/tasks/${taskId}/decision`,
      valid: () => ({ files: [{ path: 'a.ts', hunks: ['accepted', 'rejected'] }] }),
    },
    { name: 'create project', method: 'POST', path: () => '/api/projects', valid: () => ({ name: 'P', files: { 'a.ts': 'x' } }) },
    { name: 'save project', method: 'PUT', path: () => `/api/projects/${projectId}/files`, valid: () => ({ files: { 'a.ts': 'y' }, message: 'm' }) },
    {
      name: 'gateway chat',
      method: 'POST',
      path: () => '/gateway/v1/chat/completions',
      valid: () => ({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
      headers: () => ({ authorization: `Bearer ${api.config.gatewayToken}` }),
    },
  ];

  for (const route of routes) {
    it(`${route.name}: malformed bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(anyBody(route.valid()), async (body) => {
          const res = await send(route.method, route.path(), JSON.stringify(body), route.headers?.() ?? {});
          await expectHandled(res, `${route.method} ${route.path()} ${JSON.stringify(body).slice(0, 200)}`);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }

  it('broken JSON text and wrong content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(fc.string(), fc.constantFrom('{', '{"a":', '[1,2', 'nul', '"unterminated', '{"files":{"a":1}}}', '\u0000', '{"__proto__":{"x":1}}')),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (route, text, type) => {
          const res = await send(route.method, route.path(), text, { ...(route.headers?.() ?? {}), 'content-type': type });
          await expectHandled(res, `${route.method} ${route.path()} (${type}) ${JSON.stringify(text).slice(0, 120)}`);
        },
      ),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });

  it('hostile ids, queries and headers on the read routes', async () => {
    const segment = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('..', '%2e%2e', '%00', 'x'.repeat(5000), '00000000-0000-0000-0000-000000000000'));
    await fc.assert(
      fc.asyncProperty(segment, fc.string({ maxLength: 60 }), async (raw, header) => {
        const id = encodeURIComponent(raw);
        const paths = [
          `/api/agent/tasks/${id}`,
          `/api/agent/tasks/${id}/cancel`,
          `/api/projects/${id}`,
          `/api/projects/${id}/versions`,
          `/api/projects/${projectId}?version=${id}`,
          `/api/agent/tasks?limit=${id}`,
        ];
        for (const path of paths) {
          const method = path.endsWith('/cancel') ? 'POST' : 'GET';
          await expectHandled(await send(method, path), `${method} ${path}`);
        }
        // Header values must be valid ByteStrings for fetch; drop what it would refuse.
        const safe = header.replace(/[^\x20-\x7e]/g, '');
        await expectHandled(
          await send('POST', '/api/agent/tasks', JSON.stringify({ prompt: 'x', files: { 'a.ts': '' } }), { 'idempotency-key': safe }),
          'idempotency-key',
        );
        const events = await send('GET', `/api/agent/tasks/${taskId}/events`, undefined, { 'last-event-id': safe });
        if (events.status === 200) await events.body?.cancel();
        else await expectHandled(events, `events Last-Event-ID ${safe}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('is still healthy afterwards, and nothing answered 5xx', async () => {
    expect((await fetch(`${api.url}/health/detailed`)).status).toBe(200);
    expect([...seen.keys()].filter((s) => s >= 500)).toEqual([]);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(RUNS * 10);
  });
});
