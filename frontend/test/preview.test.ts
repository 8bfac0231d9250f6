import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STARTER_FILES } from '../../shared/src/project/starter';
import { hasChromium, launchBrowser } from '../../test-support/browser';
import type { PreviewDiagnostic } from '../src/preview/PreviewPane';
import { IDE_TOKEN, startPreviewEnv, type PreviewEnv } from './preview-host/host';

/**
 * The self-hosted preview behind the real SandpackProvider/SandpackPreview/SandpackConsole,
 * in headless Chromium with no network: the IDE stand-in on http://localhost, the
 * runtime on http://127.0.0.1 (another site). Assertions are on what a person sees:
 * the preview's DOM, the error overlay and the console panel.
 */

const APP = STARTER_FILES['src/App.tsx'] as string;
const withApp = (app: string, extra: Record<string, string> = {}) => ({ ...STARTER_FILES, 'src/App.tsx': app, ...extra });

describe.skipIf(!hasChromium())('self-hosted preview runtime', () => {
  let env: PreviewEnv;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let packageRequests: string[];

  beforeAll(async () => {
    [env, browser] = await Promise.all([startPreviewEnv(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    packageRequests = [];
    page.on('request', (r) => {
      if (r.url().includes('/packages/')) packageRequests.push(r.url());
    });
    await page.goto(env.hostUrl);
  });
  afterEach(async () => {
    await context?.close();
  });

  const mount = (files: Record<string, string>) => page.evaluate(([f, url]) => window.__host.mount(f, url), [files, env.runtimeUrl] as const);
  const edit = (files: Record<string, string>) => page.evaluate((f) => window.__host.setFiles(f), files);
  const preview = () => page.frameLocator('iframe[title="Sandpack Preview"]');
  const overlay = () => page.locator('.sp-preview .sp-error');
  const overlayText = async () => ((await overlay().count()) > 0 ? ((await overlay().first().textContent()) ?? '') : '');
  const consoleText = async () => (await page.locator('.sp-console').textContent()) ?? '';
  const diagnostics = () => page.evaluate(() => window.__host.diagnostics) as Promise<PreviewDiagnostic[]>;
  const runtimeFrame = (): Frame => {
    const frame = page.frames().find((f) => f.url().startsWith(env.runtimeUrl));
    if (!frame) throw new Error('no preview frame');
    return frame;
  };

  it('renders the starter app (package.json main), and it is interactive', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    await preview().locator('button').click();
    await expect.poll(() => preview().locator('button').textContent()).toBe('Clicked 1 times');
    // The starter's CSS import is applied in the preview.
    const padding = await preview()
      .locator('body')
      .evaluate((b) => getComputedStyle(b).paddingTop);
    expect(padding).toBe('24px');
    expect(await overlayText()).toBe('');
    expect(new URL(runtimeFrame().url()).origin).toBe(new URL(env.runtimeUrl).origin);
  });

  it('updates the preview on every edit, without downloading packages again', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    const downloaded = packageRequests.length;
    expect(downloaded).toBeGreaterThan(0);
    for (const word of ['one', 'two', 'three']) {
      await edit(withApp(APP.replace('Hello from {name}', `Edited ${word}`)));
      await expect.poll(() => preview().locator('h1').textContent()).toBe(`Edited ${word}`);
    }
    await edit({ ...STARTER_FILES, 'src/styles.css': 'body { padding: 3px; }' });
    await expect
      .poll(() =>
        preview()
          .locator('body')
          .evaluate((b) => getComputedStyle(b).paddingTop),
      )
      .toBe('3px');
    expect(packageRequests.length).toBe(downloaded);
  });

  const clickCounterTo3 = async () => {
    for (let i = 0; i < 3; i++) await preview().locator('button').click();
    await expect.poll(() => preview().locator('button').textContent()).toBe('Clicked 3 times');
  };
  const COUNTER = STARTER_FILES['src/Counter.tsx'] as string;

  it('keeps component state across edits of the component and of its parent (Fast Refresh)', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    await clickCounterTo3();
    await edit(withApp(APP.replace('Hello from {name}', 'Still counting')));
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Still counting');
    expect(await preview().locator('button').textContent()).toBe('Clicked 3 times');
    // The component's own module: its text changes, its state stays.
    await edit({
      ...withApp(APP.replace('Hello from {name}', 'Still counting')),
      'src/Counter.tsx': COUNTER.replace('Clicked {count} times', 'Pressed {count} times'),
    });
    await expect.poll(() => preview().locator('button').textContent()).toBe('Pressed 3 times');
    // A changed hook list cannot reuse the old state: that component alone starts over.
    await edit({
      ...withApp(APP.replace('Hello from {name}', 'Still counting')),
      'src/Counter.tsx': COUNTER.replace('useState(start)', 'useState(start + 10)'),
    });
    await expect.poll(() => preview().locator('button').textContent()).toBe('Clicked 10 times');
    expect(await preview().locator('h1').textContent()).toBe('Still counting');
    expect(await overlayText()).toBe('');
  });

  it('runs the app again (state reset) when an edited module exports something besides components', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    await clickCounterTo3();
    // App.tsx now also exports a constant: its importer (the entry) would hold a stale value.
    await edit(withApp(`export const version = 2;\n${APP.replace('Hello from {name}', 'Version {version}')}`));
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Version 2');
    expect(await preview().locator('button').textContent()).toBe('Clicked 0 times');
    await clickCounterTo3();
    // A non-component module imported by the entry: the same.
    await edit({ ...withApp(APP), 'src/index.tsx': `${STARTER_FILES['src/index.tsx'] as string}\nconsole.log('entry edited');\n` });
    await expect.poll(() => preview().locator('button').textContent()).toBe('Clicked 0 times');
    expect(await preview().locator('h1').textContent()).toBe('Hello from Patchpad');
  });

  it.each([0, 40, 120])('keeps an edit made %i ms into the first load', async (delay) => {
    await mount(STARTER_FILES);
    await page.waitForTimeout(delay);
    await edit(withApp(APP.replace('Hello from {name}', 'Early edit')));
    await expect.poll(() => preview().locator('h1').textContent(), { timeout: 10_000 }).toBe('Early edit');
  });

  it('shows a syntax error in the overlay with file and line, and recovers when fixed', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    // Line 5 of App.tsx loses its closing parenthesis.
    await edit(withApp(APP.replace("useState('Patchpad');", "useState('Patchpad';")));
    await expect.poll(overlayText).toContain('/src/App.tsx: Unexpected token, expected "," (5:37)');
    await expect.poll(overlayText).toContain("> 5 |   const [name] = useState('Patchpad';");
    expect(await diagnostics()).toEqual([
      { kind: 'syntax', path: 'src/App.tsx', line: 5, column: 37, title: 'SyntaxError', message: 'Unexpected token, expected ","' },
    ]);
    await edit(withApp(APP.replace('Hello from {name}', 'Fixed')));
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Fixed');
    expect(await overlayText()).toBe('');
    expect(await diagnostics()).toEqual([]);
  });

  it('shows runtime errors (a React render error, a module that throws) with file and line', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    const counter = (STARTER_FILES['src/Counter.tsx'] as string).replace(
      '  const [count, setCount] = useState(start);',
      "  const [count, setCount] = useState(start);\n  if (count === 0) throw new Error('Counter exploded');",
    );
    await edit({ ...STARTER_FILES, 'src/Counter.tsx': counter });
    await expect.poll(overlayText).toContain('/src/Counter.tsx: Counter exploded (7:');
    await expect.poll(diagnostics).toContainEqual(expect.objectContaining({ kind: 'runtime', path: 'src/Counter.tsx', line: 7, message: 'Counter exploded' }));
    await expect.poll(consoleText).toContain('Counter exploded');

    await edit(withApp(`import { missing } from './Counter';\n${APP.replace('export default', 'missing.call();\nexport default')}`));
    await expect.poll(overlayText).toContain('/src/App.tsx:');
    await expect.poll(diagnostics).toContainEqual(expect.objectContaining({ kind: 'runtime', path: 'src/App.tsx', line: 5, title: 'TypeError' }));
  });

  it('shows console output in the console panel', async () => {
    const app = APP.replace(
      'export default function App() {',
      "console.log('hello from the preview', { answer: 42 });\nconsole.warn('careful');\nexport default function App() {",
    );
    await mount(withApp(app));
    await expect.poll(consoleText).toContain('hello from the preview');
    await expect.poll(consoleText).toContain('answer: 42');
    await expect.poll(consoleText).toContain('careful');
  });

  it('names a package that is not in the cache, and how an admin adds it', async () => {
    await mount(STARTER_FILES);
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    await edit(withApp(`import confetti from 'canvas-confetti';\n${APP.replace('export default', 'confetti();\nexport default')}`));
    await expect.poll(overlayText).toContain('Could not find package "canvas-confetti"');
    await expect.poll(overlayText).toContain('PREVIEW_PACKAGES');
    await expect.poll(overlayText).toContain('/src/App.tsx');
    await expect.poll(diagnostics).toContainEqual(expect.objectContaining({ kind: 'module', path: 'src/App.tsx', line: 1 }));
  });

  it("keeps the IDE's storage, cookie and DOM out of the preview's reach", async () => {
    const app = `const probe = (read: () => unknown) => {
  try {
    const value = read();
    return value === null || value === undefined || value === '' ? 'empty' : 'LEAK ' + String(value);
  } catch {
    return 'blocked';
  }
};
export default function App() {
  const results = {
    parentStorage: probe(() => window.parent.localStorage.getItem('token')),
    parentCookie: probe(() => window.parent.document.cookie),
    parentDom: probe(() => window.parent.document.body.innerHTML),
    topStorage: probe(() => window.top?.localStorage.getItem('token')),
    ownStorage: probe(() => localStorage.getItem('token')),
    ownCookie: probe(() => (document.cookie.includes('token') ? document.cookie : '')),
  };
  return <pre id="probe">{JSON.stringify(results)}</pre>;
}
`;
    await mount(withApp(app));
    const text = await preview().locator('#probe').textContent();
    expect(JSON.parse(text ?? '{}')).toEqual({
      parentStorage: 'blocked',
      parentCookie: 'blocked',
      parentDom: 'blocked',
      topStorage: 'blocked',
      ownStorage: 'empty',
      ownCookie: 'empty',
    });
    expect(await page.evaluate(() => localStorage.getItem('token'))).toBe(IDE_TOKEN);
  });

  it('ignores messages from user code pretending to be the IDE or the runtime', async () => {
    const forger = `const seen: unknown[] = [];
(window as any).__seenIds = seen;
window.addEventListener('message', (e) => seen.push(e.data?.$id ?? e.data?.type), true);
// Lie about the sender, then post a compile to ourselves.
Object.defineProperty(MessageEvent.prototype, 'source', { get: () => window.parent, configurable: true });
window.postMessage({ type: 'compile', codesandbox: true, $id: 'forged', template: 'create-react-app',
  modules: { '/package.json': { path: '/package.json', code: '{"main":"hijack.js"}' },
             '/hijack.js': { path: '/hijack.js', code: 'document.body.innerHTML = "<h1>HIJACKED</h1>"' } } }, '*');
// Pose as the runtime towards the IDE, with guessed channel ids.
for (const $id of [undefined, 0, 1, 42, 'forged']) {
  window.parent.postMessage({ type: 'console', codesandbox: true, $id, log: [{ method: 'log', id: 'forged-' + String($id), data: ['FORGED-LOG'] }] }, '*');
  window.parent.postMessage({ type: 'action', action: 'show-error', codesandbox: true, $id, title: 'Error', message: 'FORGED-ERROR', path: '/x.ts', line: 1, column: 1, payload: { frames: [] } }, '*');
  window.parent.postMessage({ type: 'done', codesandbox: true, $id, compilatonError: true }, '*');
}
export {};
`;
    await mount({ ...STARTER_FILES, 'src/forger.ts': forger, 'src/index.tsx': `import './forger';\n${STARTER_FILES['src/index.tsx']}` });
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Hello from Patchpad');
    // A real edit: the IDE's compile (carrying the channel id) must not reach user code.
    await edit({
      ...STARTER_FILES,
      'src/forger.ts': forger,
      'src/index.tsx': `import './forger';\n${STARTER_FILES['src/index.tsx']}`,
      'src/App.tsx': APP.replace('Hello from {name}', 'Still mine'),
    });
    await expect.poll(() => preview().locator('h1').textContent()).toBe('Still mine');
    await page.waitForTimeout(200);
    expect(await preview().locator('body').textContent()).not.toContain('HIJACKED');
    expect(await consoleText()).not.toContain('FORGED-LOG');
    expect(await overlayText()).toBe('');
    expect(await diagnostics()).toEqual([]);
    const seen = (await runtimeFrame().evaluate(() => (window as unknown as { __seenIds: unknown[] }).__seenIds)) as unknown[];
    expect(seen).toContain('forged'); // user code does receive its own messages…
    expect(seen.filter((id) => id !== 'forged')).toEqual([]); // …but never the IDE's (nor the channel id)
  });
});
