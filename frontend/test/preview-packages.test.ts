import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTER_FILES } from '../../shared/src/project/starter';
import { hasChromium, launchBrowser } from '../../test-support/browser';
import { FIXTURE_PACKAGES, startFakeRegistry, type FakeRegistry } from '../../test-support/fake-npm-registry';
import { startPackageService, type PackageServiceEnv } from '../../test-support/preview-packages';
import type { HostPackages } from './preview-host/api';
import { startPreviewEnv, type PreviewEnv } from './preview-host/host';

/**
 * Packages the preview's cache lacks, end to end: the real PreviewPane and runtime in
 * Chromium, the backend's package service, and an npm registry on loopback whose tarballs
 * the test builds. One opt-in case uses the real registry (PREVIEW_REAL_REGISTRY=1).
 */

const APP = STARTER_FILES['src/App.tsx'] as string;
const withDeps = (deps: Record<string, string>, app: string) => ({
  ...STARTER_FILES,
  'package.json': JSON.stringify({ main: 'src/index.tsx', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', ...deps } }),
  'src/App.tsx': app,
});
const greetingApp = `import { greet } from 'tiny-greet';
import { Badge } from '@fixture/esm-badge';
${APP.replace('<h1>Hello from {name}</h1>', '<h1>{greet(name)}</h1><Badge label="fresh" />')}`;

describe.skipIf(!hasChromium())('preview packages on demand', () => {
  let env: PreviewEnv;
  let browser: Browser;
  let registry: FakeRegistry;
  let service: PackageServiceEnv;

  beforeAll(async () => {
    registry = await startFakeRegistry([...FIXTURE_PACKAGES, { name: 'tampered-widget', version: '1.0.0', files: { 'index.js': 'module.exports = 1;' } }]);
    registry.tamper('tampered-widget@1.0.0');
    [env, browser, service] = await Promise.all([startPreviewEnv(), launchBrowser(), startPackageService(registry.url)]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
    await service?.close();
    await registry?.close();
  });

  async function open(files: Record<string, string>, packages: HostPackages | null): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(env.hostUrl);
    await page.evaluate(([f, url, p]) => window.__host.mount(f, url, 'immediate', p), [files, env.runtimeUrl, packages] as const);
    return { page, context };
  }
  const preview = (page: Page) => page.frameLocator('iframe[title="Sandpack Preview"]');
  const overlayText = async (page: Page) =>
    (await page.locator('.sp-preview .sp-error').count()) > 0 ? ((await page.locator('.sp-preview .sp-error').first().textContent()) ?? '') : '';
  const access = (): HostPackages => ({ url: service.url, token: service.mint('project-a') });

  it('renders a project importing packages absent from the cache after one fetch, and offline on the next load', async () => {
    const files = withDeps({ 'tiny-greet': '^1.0.0', '@fixture/esm-badge': '^0.4.0' }, greetingApp);
    const first = await open(files, access());
    await expect.poll(() => preview(first.page).locator('h1').textContent(), { timeout: 30_000 }).toBe('Hello, PATCHPAD!');
    // The ESM package rendered with the preview's own React, and its CSS was injected.
    const border = await preview(first.page)
      .locator('.pp-badge')
      .evaluate((el) => getComputedStyle(el).borderTopColor);
    expect(border).toBe('rgb(255, 0, 0)');
    expect(await overlayText(first.page)).toBe('');
    await first.context.close();
    const tarballs = registry.requests.filter((p) => p.endsWith('.tgz')).length;
    expect(tarballs).toBe(3); // tiny-greet, its dependency tiny-case, esm-badge: once each
    const builds = service.service.buildCount;

    registry.offline(true);
    try {
      const second = await open(files, access());
      await expect.poll(() => preview(second.page).locator('h1').textContent(), { timeout: 30_000 }).toBe('Hello, PATCHPAD!');
      await second.context.close();
    } finally {
      registry.offline(false);
    }
    expect(service.service.buildCount).toBe(builds);
    expect(registry.requests.filter((p) => p.endsWith('.tgz')).length).toBe(tarballs);
  });

  it('keeps component state when an edit adds an import that must be fetched', async () => {
    const { page, context } = await open(STARTER_FILES, access());
    await expect.poll(() => preview(page).locator('h1').textContent()).toBe('Hello from Patchpad');
    for (let i = 0; i < 3; i++) await preview(page).locator('button').click();
    await page.evaluate(
      (f) => window.__host.setFiles(f),
      withDeps({ 'tiny-greet': '^1.0.0' }, `import { greet } from 'tiny-greet';\n${APP.replace('Hello from {name}', '{greet(name)}')}`),
    );
    await expect.poll(() => preview(page).locator('h1').textContent(), { timeout: 30_000 }).toBe('Hello, PATCHPAD!');
    expect(await preview(page).locator('button').textContent()).toBe('Clicked 3 times');
    await context.close();
  });

  it('refuses a tampered tarball with a message that says so, at the import line', async () => {
    const app = `import widget from 'tampered-widget';\n${APP.replace('export default', 'console.log(widget);\nexport default')}`;
    const { page, context } = await open(withDeps({ 'tampered-widget': '1.0.0' }, app), access());
    await expect.poll(() => overlayText(page), { timeout: 30_000 }).toContain('Could not load package "tampered-widget"');
    const text = await overlayText(page);
    expect(text).toContain("does not match the registry's integrity");
    expect(text).toContain('/src/App.tsx');
    expect(await preview(page).locator('h1').count()).toBe(0);
    await context.close();
  });

  it('names a package the registry does not have', async () => {
    const app = `import x from 'no-such-package-here';\n${APP.replace('export default', 'console.log(x);\nexport default')}`;
    const { page, context } = await open(withDeps({}, app), access());
    await expect.poll(() => overlayText(page), { timeout: 30_000 }).toContain('Package "no-such-package-here" does not exist on the registry');
    await context.close();
  });
});

const REAL = process.env.PREVIEW_REAL_REGISTRY === '1';
if (!REAL) console.log('preview-packages: the real-registry case is skipped; run it with PREVIEW_REAL_REGISTRY=1 (needs the npm registry reachable)');

describe.skipIf(!hasChromium() || !REAL)('preview packages from the real npm registry (opt-in: PREVIEW_REAL_REGISTRY=1)', () => {
  it('renders an app that imports a real package (canvas-confetti, clsx)', async () => {
    const registryUrl = process.env.PACKAGES_REGISTRY ?? process.env.npm_config_registry ?? 'https://registry.npmjs.org/';
    const [env, browser, service] = await Promise.all([startPreviewEnv(), launchBrowser(), startPackageService(registryUrl)]);
    try {
      const page = await browser.newPage();
      await page.goto(env.hostUrl);
      const app = `import clsx from 'clsx';\nimport confetti from 'canvas-confetti';\n${APP.replace('Hello from {name}', "{clsx('real', { registry: true })} {typeof confetti}")}`;
      const files = withDeps({ clsx: '^2.1.0', 'canvas-confetti': '^1.9.0' }, app);
      const packages = { url: service.url, token: service.mint('real') };
      await page.evaluate(([f, url, p]) => window.__host.mount(f, url, 'immediate', p), [files, env.runtimeUrl, packages] as const);
      await expect
        .poll(() => page.frameLocator('iframe[title="Sandpack Preview"]').locator('h1').textContent(), { timeout: 90_000 })
        .toBe('real registry function');
    } finally {
      await browser.close();
      await env.close();
      await service.close();
    }
  });
});
