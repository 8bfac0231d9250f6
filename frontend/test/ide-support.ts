import { mkdtemp, rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { launchBrowser } from '../../test-support/browser';
import { startFakeOpenAi, type FakeReply, type FakeRequest } from '../../test-support/fake-openai';
import { freePort } from '../../scripts/lib/net';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { deleteKeys } from '../../backend/test/support';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = join(root, 'test-results');

/** The whole app (backend, worker, preview runtime, SPA) on free ports, a fake model, and Chromium. */
export async function startIdeStack(reply: (req: FakeRequest) => FakeReply) {
  mkdirSync(artifacts, { recursive: true });
  const upstream = await startFakeOpenAi(reply);
  const dataDir = await mkdtemp(join(tmpdir(), 'patchpad-ide-'));
  const prefix = `ide${Date.now().toString(36)}`;
  const logs: string[] = [];
  // Every port free, the gateway's too: a fixed one would collide with a running `npm start`.
  const [web, api, preview, gateway] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const stack: Stack = await startStack({
    root,
    ports: { web, api, preview, gateway },
    env: { REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: 'warn', OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'fake-model' },
    output: (line) => logs.push(line),
  });
  const browser: Browser = await launchBrowser();
  return {
    stack,
    browser,
    upstream,
    logs,
    /** This run's REDIS_PREFIX (tests that look at Redis directly need it). */
    prefix,
    async stop() {
      await browser.close();
      await stack.stop();
      await upstream.close();
      const redis = new Redis(stack.redisUrl);
      await deleteKeys(redis, `${prefix}:*`);
      redis.disconnect();
      await rm(dataDir, { recursive: true, force: true });
      if (process.env.TEST_VERBOSE) console.log(logs.join('\n'));
    },
  };
}

/** Signs up in the page (the emulator) and returns an API caller for the same user. */
export async function signUp(page: Page, stack: Stack) {
  const email = `ide-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
  const password = 'correct horse battery';
  await page.goto(stack.webUrl);
  await page.getByRole('button', { name: /create an account/i }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('region', { name: 'Your projects' }).waitFor();
  const res = await fetch(`http://${stack.emulatorHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  const { idToken } = (await res.json()) as { idToken: string };
  return {
    email,
    async get<T>(path: string): Promise<T> {
      const r = await fetch(`${stack.apiUrl}${path}`, { headers: { Authorization: `Bearer ${idToken}` } });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}

/** Creates a project from a template on the project list and waits for its editor. */
export async function createProject(page: Page, name: string, template: string): Promise<string> {
  await page.getByLabel('Project name').fill(name);
  await page.getByLabel('Template').selectOption({ label: template });
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/p\/[\w-]+/);
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
  return new URL(page.url()).pathname.split('/')[2]!;
}

/** The text Monaco shows (view lines, top to bottom; spaces as Monaco renders them, normalised). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.editor-pane .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

export async function saveStatus(page: Page): Promise<string> {
  return page.getByTestId('save-status').innerText();
}

/** Puts the cursor at the end of the line containing `text` and types `typed`. */
export async function typeAtLineEnd(page: Page, text: string, typed: string): Promise<void> {
  await page.locator('.editor-pane .monaco-editor .view-line', { hasText: text }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(typed);
}

export async function newContextPage(browser: Browser, context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await browser.newContext({ viewport: { width: 1600, height: 900 } }))).newPage();
  page.on('dialog', (d) => void d.accept());
  return page;
}
