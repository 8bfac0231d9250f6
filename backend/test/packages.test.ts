import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorUser } from '../../test-support/emulator-users';
import { FIXTURE_PACKAGES, startFakeRegistry, type FakeRegistry } from '../../test-support/fake-npm-registry';
import { authed, startTestApi, type TestApi } from './support';

/**
 * The preview's package service end to end: the real app (Redis, Auth emulator, fs store)
 * fetching from an npm registry on loopback whose tarballs are built by the test.
 */
describe('preview package service', () => {
  let registry: FakeRegistry;
  let api: TestApi;
  let token: string;
  let capability: string;

  beforeAll(async () => {
    registry = await startFakeRegistry([
      ...FIXTURE_PACKAGES,
      { name: 'tampered-pkg', version: '1.0.0', files: { 'index.js': 'module.exports = 1;' } },
      { name: 'huge-pkg', version: '1.0.0', files: { 'index.js': `module.exports = "${randomBytes(150_000).toString('base64')}";` } },
      { name: 'blocked-pkg', version: '1.0.0', files: { 'index.js': 'module.exports = 1;' } },
      { name: 'uses-blocked', version: '1.0.0', dependencies: { 'blocked-pkg': '1' }, files: { 'index.js': "module.exports = require('blocked-pkg');" } },
      { name: 'burst-pkg', version: '3.0.0', files: { 'index.js': 'module.exports = { burst: true };' } },
    ]);
    registry.tamper('tampered-pkg@1.0.0');
    api = await startTestApi({ PACKAGES_REGISTRY: registry.url, PACKAGES_DENY: 'blocked-pkg', PACKAGES_MAX_TARBALL_BYTES: '100000' });
    token = (await emulatorUser()).idToken;
    const res = await fetch(`${api.url}/api/packages/capability`, { method: 'POST', headers: authed(token), body: JSON.stringify({ projectId: 'p1' }) });
    expect(res.status).toBe(200);
    capability = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await api?.close();
    await registry?.close();
  });

  const resolve = (specifier: string, range?: string, cap = capability) =>
    fetch(`${api.url}/api/packages/resolve?${new URLSearchParams({ specifier, ...(range ? { range } : {}) })}`, {
      headers: { Authorization: `Bearer ${cap}`, Origin: 'http://abc.preview.localhost:5174' },
    });
  const load = async (specifier: string, range?: string) => {
    const res = await resolve(specifier, range);
    const body = (await res.json()) as { url: string; version: string; requires: unknown[]; kind: string; error?: { code: string; message: string } };
    return { res, body };
  };
  /** Evaluates a CommonJS bundle with the given externals, as the preview does. */
  const evaluate = async (url: string, externals: Record<string, unknown> = {}) => {
    const code = await (await fetch(`${api.url}${url}`)).text();
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', 'require', code)(module, module.exports, (s: string) => externals[s]);
    return module.exports;
  };

  it('resolves the range from package.json, bundles the package with its dependency, and serves it with open CORS', async () => {
    const { res, body } = await load('tiny-greet', '^1.0.0');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toMatchObject({ specifier: 'tiny-greet', name: 'tiny-greet', version: '1.2.0', kind: 'script', requires: [] });
    const exports = await evaluate(body.url);
    expect((exports.greet as (n: string) => string)('ada')).toBe('Hello, ADA!');
    const file = await fetch(`${api.url}${body.url}`);
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(registry.requests).toContain('/-/tiny-case-2.3.1.tgz');
  });

  it('honours dist-tags and exact versions', async () => {
    expect((await load('tiny-greet', 'next')).body.version).toBe('2.0.0-beta.1');
    expect((await load('tiny-greet', '1.1.0')).body.version).toBe('1.1.0');
    expect((await load('tiny-greet')).body.version).toBe('1.2.0');
  });

  it('converts an ES module package, keeps its React peer external and injects its CSS', async () => {
    const { res, body } = await load('@fixture/esm-badge', '^0.4.0');
    expect(res.status).toBe(200);
    expect(body.requires).toEqual([{ specifier: 'react', range: '>=18' }]);
    const react = { createElement: (type: string, props: object, child: string) => ({ type, props, child }) };
    const appended: string[] = [];
    (globalThis as { document?: unknown }).document = {
      createElement: () => ({ setAttribute: () => undefined, textContent: '' }),
      head: { appendChild: (el: { textContent: string }) => appended.push(el.textContent) },
    };
    try {
      const exports = await evaluate(body.url, { react });
      expect((exports.Badge as (p: object) => unknown)({ label: 'new' })).toEqual({ type: 'span', props: { className: 'pp-badge' }, child: 'new' });
      expect(appended.join('')).toContain('.pp-badge');
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
    const css = await load('@fixture/esm-badge/style.css', '^0.4.0');
    expect(css.body.kind).toBe('style');
  });

  it('serves a stored package without the registry (offline), for any user', async () => {
    const first = await load('tiny-greet', '^1.0.0');
    registry.offline(true);
    try {
      const other = await emulatorUser();
      const res = await fetch(`${api.url}/api/packages/capability`, {
        method: 'POST',
        headers: authed(other.idToken),
        body: JSON.stringify({ projectId: 'p2' }),
      });
      const cap = ((await res.json()) as { token: string }).token;
      const again = await resolve('tiny-greet', '^1.0.0', cap);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { url: string }).url).toBe(first.body.url);
      const unknown = await load('never-fetched', '1');
      expect(unknown.res.status).toBe(503);
      expect(unknown.body.error?.code).toBe('registry_unavailable');
    } finally {
      registry.offline(false);
    }
  });

  it('refuses a tarball whose bytes do not match the published integrity, and stores nothing', async () => {
    const { res, body } = await load('tampered-pkg', '1.0.0');
    expect(res.status).toBe(502);
    expect(body.error).toMatchObject({ code: 'integrity_mismatch', message: expect.stringContaining('tampered-pkg@1.0.0: the tarball') });
    expect((await load('tampered-pkg', '1.0.0')).body.error?.code).toBe('integrity_mismatch');
  });

  it('applies the deny list to packages and to their dependencies, and the size limit', async () => {
    const denied = await load('blocked-pkg');
    expect(denied.res.status).toBe(403);
    expect(denied.body.error?.message).toContain('PACKAGES_DENY');
    const indirect = await load('uses-blocked');
    expect(indirect.res.status).toBe(403);
    expect(indirect.body.error?.message).toContain('a dependency of uses-blocked');
    const huge = await load('huge-pkg');
    expect(huge.res.status).toBe(413);
    expect(huge.body.error?.message).toContain('PACKAGES_MAX_TARBALL_BYTES');
  });

  it('names what is wrong: unknown package, unknown version, bad specifier, no capability', async () => {
    expect((await load('no-such-package')).body.error).toMatchObject({ code: 'package_not_found' });
    expect((await load('tiny-greet', '^9.0.0')).body.error).toMatchObject({ code: 'version_not_found', message: expect.stringContaining('^9.0.0') });
    const bad = await load('../etc/passwd');
    expect(bad.res.status).toBe(400);
    expect(bad.body.error?.message).toContain('specifier');
    expect((await resolve('tiny-greet', '1', 'v1.forged.sig')).status).toBe(401);
    expect((await resolve('tiny-greet', '1', '')).status).toBe(401);
    const noUser = await fetch(`${api.url}/api/packages/capability`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"projectId":"p1"}',
    });
    expect(noUser.status).toBe(401);
    const badProject = await fetch(`${api.url}/api/packages/capability`, { method: 'POST', headers: authed(token), body: '{"projectId":"../x"}' });
    expect(badProject.status).toBe(400);
    expect(((await badProject.json()) as { error: { message: string } }).error.message).toContain('projectId');
  });

  it('builds a package once under a burst of 200 concurrent first requests', async () => {
    const before = registry.requests.filter((p) => p === '/-/burst-pkg-3.0.0.tgz').length;
    const answers = await Promise.all(Array.from({ length: 200 }, () => load('burst-pkg', '^3.0.0')));
    expect(answers.every((a) => a.res.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.body.url)).size).toBe(1);
    expect(registry.requests.filter((p) => p === '/-/burst-pkg-3.0.0.tgz').length - before).toBe(1);
  });
});
