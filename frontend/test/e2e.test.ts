import { mkdtemp, rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { hasChromium, launchBrowser } from '../../test-support/browser';
import { startFakeOpenAi } from '../../test-support/fake-openai';
import { freePort } from '../../scripts/lib/net';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { deleteKeys } from '../../backend/test/support';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-results');

// The model answers with a real unified diff against the starter's src/App.tsx.
const ANSWER = `I changed the heading.

\`\`\`diff
--- a/src/App.tsx
+++ b/src/App.tsx
@@ -5,7 +5,7 @@
   const [name] = useState('Patchpad');
   return (
     <main className="app">
-      <h1>Hello from {name}</h1>
+      <h1>Hello from {name}, patched by AI</h1>
       <p>Edit the files on the left, or select some code and ask the assistant.</p>
       <Counter start={0} />
     </main>
\`\`\`
`;

/** Where Monaco draws the (first) cursor, as its CSS top: '0px' is the first line. */
async function cursorTop(page: Page): Promise<string> {
  return page
    .locator('.editor-pane .monaco-editor .cursors-layer .cursor')
    .first()
    .evaluate((el) => (el as HTMLElement).style.top);
}

/** The text Monaco shows for the open file (view lines, top to bottom). */
async function editorText(page: Page): Promise<string> {
  // Monaco renders spaces as U+00A0.
  return (await page.locator('.editor-pane .monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');
}

describe.skipIf(!hasChromium())('the whole path in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let upstream: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let dataDir: string;
  const prefix = `e2e${Date.now().toString(36)}`;
  const logs: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    upstream = await startFakeOpenAi(() => ANSWER);
    dataDir = await mkdtemp(join(tmpdir(), 'patchpad-e2e-'));
    const [web, api, preview, gateway] = [await freePort(), await freePort(), await freePort(), await freePort()];
    stack = await startStack({
      root,
      ports: { web, api, preview, gateway },
      env: {
        REDIS_PREFIX: prefix,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl,
        OPENAI_COMPATIBLE_MODELS: 'fake-model',
      },
      output: (line) => logs.push(line),
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await upstream?.close();
    if (stack) {
      const redis = new Redis(stack.redisUrl);
      await deleteKeys(redis, `${prefix}:*`);
      redis.disconnect();
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (process.env.TEST_VERBOSE) console.log(logs.join('\n'));
  });

  it('signs up, asks the AI, reviews and applies its diff, sees it in editor and preview, saves, and finds it after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(stack.webUrl);
      await page.getByRole('button', { name: /create an account/i }).click();
      await page.getByLabel('Email').fill(`e2e-${Date.now()}@example.test`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();

      // Home is the project list: a new project from the React template opens on App.tsx in Monaco.
      await page.getByLabel('Project name').fill('E2E');
      await page.getByRole('button', { name: 'Create' }).click();
      await expect.poll(() => editorText(page), { timeout: 30_000 }).toContain('Hello from {name}');

      // Select the first line (away from the change: applying must not move the cursor), then ask.
      await page.locator('.monaco-editor .view-line').first().click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Shift+End');
      await page.getByLabel('Ask the assistant').fill('Say that the heading was patched by AI');
      await page.getByRole('button', { name: 'Ask', exact: true }).click();

      const review = page.getByRole('region', { name: 'Proposed changes' });
      await review.waitFor({ timeout: 30_000 });
      await expect.poll(() => review.innerText()).toContain('patched by AI');
      const request = upstream.requests.at(-1)!;
      expect(request.messages.at(-1)!.content).toContain('selected lines 1-1 of src/App.tsx');

      await page.screenshot({ path: join(artifacts, 'e2e-review.png') });
      await review.getByRole('button', { name: 'Accept hunk 1 of src/App.tsx' }).click();
      await review.getByRole('button', { name: 'Apply 1 of 1' }).click();
      await expect.poll(() => editorText(page)).toContain('Hello from {name}, patched by AI');
      await expect.poll(() => page.getByTestId('save-status').innerText(), { timeout: 15_000 }).toBe('Saved');
      expect(await cursorTop(page)).toBe('0px');

      // One undo takes the whole change back, one redo brings it again.
      await page.locator('.editor-pane .monaco-editor .view-line').first().click();
      await page.keyboard.press('Control+z');
      await expect.poll(() => editorText(page)).not.toContain('patched by AI');
      await expect.poll(() => editorText(page)).toContain('Hello from {name}');
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => editorText(page)).toContain('Hello from {name}, patched by AI');
      await expect.poll(() => page.getByTestId('save-status').innerText()).toBe('Saved');

      // The preview (self-hosted runtime on its own origin) shows the change too.
      const preview = page.frameLocator('iframe[title="Sandpack Preview"]');
      await expect
        .poll(
          () =>
            preview
              .locator('h1')
              .innerText()
              .catch(() => ''),
          { timeout: 30_000 },
        )
        .toBe('Hello from Patchpad, patched by AI');
      await page.screenshot({ path: join(artifacts, 'e2e-applied.png') });

      // Reload: the saved project comes back from the store.
      await page.reload();
      await expect.poll(() => editorText(page), { timeout: 30_000 }).toContain('patched by AI');
      expect(pageErrors).toEqual([]);
    } finally {
      await page.screenshot({ path: join(artifacts, 'e2e-last.png') }).catch(() => undefined);
      await page.close();
    }
  });
});
