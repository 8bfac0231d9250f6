import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTER_FILES } from '../../shared/src/project/starter';
import { hasChromium, launchBrowser } from '../../test-support/browser';
import { projectPreviewKey } from '../src/preview/origin';
import { startPreviewEnv, type PreviewEnv } from './preview-host/host';

/**
 * One origin per project, the channel id, and no dead ends when the runtime is slow: the
 * real PreviewPane and runtime in Chromium, previews on `<hash>.preview.localhost`.
 */

const APP = STARTER_FILES['src/App.tsx'] as string;
/** A project that stores a secret under its own name and shows what it finds under the other's. */
const storageApp = (mine: string, theirs: string) =>
  APP.replace(
    'export default function App() {',
    `localStorage.setItem('secret-${mine}', '${mine}-data');
export default function App() {
  const seen = localStorage.getItem('secret-${theirs}') ?? 'nothing';`,
  ).replace('<h1>Hello from {name}</h1>', '<h1 id="seen">{seen}</h1>');

describe.skipIf(!hasChromium())('preview origins and resilience', () => {
  let env: PreviewEnv;
  let browser: Browser;

  beforeAll(async () => {
    [env, browser] = await Promise.all([startPreviewEnv(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const mountIn = async (page: Page, files: Record<string, string>, bundlerUrl: string) => {
    await page.goto(env.hostUrl);
    await page.evaluate(([f, url]) => window.__host.mount(f, url, 'immediate'), [files, bundlerUrl] as const);
  };
  const seen = (page: Page) => page.frameLocator('iframe[title="Sandpack Preview"]').locator('#seen').textContent();

  it("gives each project its own origin, so one project's preview cannot read another's localStorage", async () => {
    const [keyA, keyB] = await Promise.all([projectPreviewKey('project-a'), projectPreviewKey('project-b')]);
    expect(keyA).toMatch(/^[0-9a-f]{32}$/);
    expect(keyA).not.toBe(keyB);
    const context = await browser.newContext();
    const [a, b] = [await context.newPage(), await context.newPage()];
    await mountIn(a, { ...STARTER_FILES, 'src/App.tsx': storageApp('a', 'b') }, env.projectRuntimeUrl(keyA));
    await expect.poll(() => seen(a)).toBe('nothing');
    await mountIn(b, { ...STARTER_FILES, 'src/App.tsx': storageApp('b', 'a') }, env.projectRuntimeUrl(keyB));
    await expect.poll(() => seen(b)).toBe('nothing'); // A's secret is not visible to B…
    expect(b.frames().some((f) => f.url().startsWith(`http://${keyB}.preview.localhost:`))).toBe(true);
    // …while the same project (same origin) finds its data again, so the probe does read storage.
    const again = await context.newPage();
    await mountIn(again, { ...STARTER_FILES, 'src/App.tsx': storageApp('x', 'a') }, env.projectRuntimeUrl(keyA));
    await expect.poll(() => seen(again)).toBe('a-data');
    await context.close();
  });

  it('registers the frame with a 128-bit channel id from crypto.getRandomValues, not Math.random', async () => {
    const context = await browser.newContext();
    // Runs in the runtime's frame before its own scripts: records the ids the IDE registers.
    await context.addInitScript(() => {
      if (!location.hostname.endsWith('.preview.localhost')) return;
      const ids: unknown[] = [];
      (window as unknown as { __ids: unknown[] }).__ids = ids;
      window.addEventListener('message', (e) => (e.data as { type?: string })?.type === 'register-frame' && ids.push((e.data as { id: unknown }).id), true);
    });
    const page = await context.newPage();
    await mountIn(page, STARTER_FILES, env.projectRuntimeUrl(await projectPreviewKey('channel')));
    await expect.poll(() => page.frameLocator('iframe[title="Sandpack Preview"]').locator('h1').textContent()).toBe('Hello from Patchpad');
    const frame = page.frames().find((f) => f.url().includes('.preview.localhost'));
    const ids = (await frame?.evaluate(() => (window as unknown as { __ids: unknown[] }).__ids)) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    await context.close();
  });

  it('refuses to be framed by a page that is not the IDE (frame-ancestors)', async () => {
    const res = await fetch(env.runtimeUrl);
    expect(res.headers.get('content-security-policy')).toBe(`frame-ancestors ${new URL(env.hostUrl).origin}`);
  });
});

describe.skipIf(!hasChromium())('a preview that is slow to start (CPU hog, slow runtime)', () => {
  const HOG_MS = 25_000;
  let env: PreviewEnv;
  let browser: Browser;
  const hogs: ChildProcess[] = [];

  beforeAll(async () => {
    // The runtime's script arrives 8 s late, and every core is busy meanwhile (bounded: each hog stops itself).
    [env, browser] = await Promise.all([startPreviewEnv({ runtimeDelayMs: 8000 }), launchBrowser()]);
    for (let i = 0; i < 2; i++) {
      hogs.push(
        spawn('taskset', ['-c', String(i), process.execPath, '-e', `const end = Date.now() + ${HOG_MS}; while (Date.now() < end) {}`], { stdio: 'ignore' }),
      );
    }
  });
  afterAll(async () => {
    for (const hog of hogs) if (hog.exitCode === null) hog.kill('SIGKILL');
    await browser?.close();
    await env?.close();
  });

  it('keeps waiting with progress and a reload button, then renders, and never shows the TIME_OUT page', async () => {
    const page = await browser.newPage();
    const sawTimeout: string[] = [];
    const watch = setInterval(() => {
      void page
        .textContent('body')
        .then((text) => {
          if (text && /TIME_OUT|Couldn't connect to server/.test(text)) sawTimeout.push(text);
        })
        .catch(() => undefined);
    }, 250);
    try {
      await page.goto(env.hostUrl);
      await page.evaluate(([f, url]) => window.__host.mount(f, url, 'immediate'), [STARTER_FILES, env.runtimeUrl] as const);
      const notice = page.getByTestId('preview-slow');
      await expect.poll(() => notice.textContent(), { timeout: 20_000 }).toContain('taking longer than usual');
      expect(await notice.getByRole('button', { name: 'Reload the preview' }).count()).toBe(1);
      await expect
        .poll(() => page.frameLocator('iframe[title="Sandpack Preview"]').locator('h1').textContent(), { timeout: 60_000 })
        .toBe('Hello from Patchpad');
      await expect.poll(() => notice.count()).toBe(0);
      expect(sawTimeout).toEqual([]);
    } finally {
      clearInterval(watch);
      await page.close();
    }
  });
});
