import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTER_FILES } from '../../shared/src/project/starter';
import { deleteKeys } from '../../backend/test/support';
import { freePort } from '../../scripts/lib/net';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { hasChromium, launchBrowser } from '../../test-support/browser';
import { FIXTURE_PACKAGES, startFakeRegistry, type FakeRegistry } from '../../test-support/fake-npm-registry';
import { projectPreviewKey } from '../src/preview/origin';
import { root, signUp } from './ide-support';

/**
 * The whole app as `npm start` runs it (API, preview runtime, SPA behind vite's proxy), with the
 * API's package service on an npm registry stub: a project that imports a package runs in the
 * IDE's preview on the project's own origin, with a capability the IDE got from the API.
 */
describe.skipIf(!hasChromium())('the IDE preview: own origin per project, packages through the API', () => {
  let registry: FakeRegistry;
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const prefix = `ppv${Date.now().toString(36)}`;

  beforeAll(async () => {
    registry = await startFakeRegistry(FIXTURE_PACKAGES);
    dataDir = await mkdtemp(join(tmpdir(), 'patchpad-preview-ide-'));
    const [web, api, preview] = [await freePort(), await freePort(), await freePort()];
    stack = await startStack({
      root,
      ports: { web, api, preview },
      env: { REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PACKAGES_REGISTRY: registry.url },
      output: () => undefined,
    });
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await registry?.close();
    const redis = new Redis(stack?.redisUrl ?? 'redis://127.0.0.1:6379');
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a project that imports packages absent from the cache, on its own origin', async () => {
    const user = await signUp(page, stack);
    const signIn = await fetch(`http://${stack.emulatorHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: 'correct horse battery', returnSecureToken: true }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const files = {
      ...STARTER_FILES,
      'package.json': JSON.stringify({ main: 'src/index.tsx', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', 'tiny-greet': '^1.0.0' } }),
      'src/App.tsx': `import { greet } from 'tiny-greet';\n${(STARTER_FILES['src/App.tsx'] as string).replace('Hello from {name}', '{greet(name)}')}`,
    };
    const created = await fetch(`${stack.apiUrl}/api/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${idToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'With a package', files }),
    });
    expect(created.status).toBe(201);
    const projectId = ((await created.json()) as { project: { id: string } }).project.id;

    await page.goto(`${stack.webUrl}/p/${projectId}`);
    const preview = page.frameLocator('iframe[title="Sandpack Preview"]');
    await expect.poll(() => preview.locator('h1').textContent(), { timeout: 60_000 }).toBe('Hello, PATCHPAD!');
    const key = await projectPreviewKey(projectId);
    expect(page.frames().some((f) => new URL(f.url()).hostname === `${key}.preview.localhost`)).toBe(true);
    expect(registry.requests).toContain('/-/tiny-greet-1.2.0.tgz');
  });
});
