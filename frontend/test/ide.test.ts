import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PROJECT_TEMPLATES } from '@patchpad/shared';
import { createPatch } from '@patchpad/shared/patch';
import { hasChromium } from '../../test-support/browser';
import { artifacts, createProject, editorText, newContextPage, saveStatus, signUp, startIdeStack, typeAtLineEnd } from './ide-support';

const APP = PROJECT_TEMPLATES['react-ts'].files['src/App.tsx']!;
// Two hunks far apart in the starter's App.tsx: a new import, and a different counter start.
const PROPOSED = APP.replace("import { Counter } from './Counter';\n", "import { Counter } from './Counter';\nimport './extra.css';\n").replace(
  '<Counter start={0} />',
  '<Counter start={10} />',
);
const ANSWER = `Two small changes.\n\n\`\`\`diff\n${createPatch('src/App.tsx', APP, PROPOSED)}\`\`\`\n`;

type Snapshot = { version: string; files: Record<string, string> };

describe.skipIf(!hasChromium())('the IDE in a real browser (backend, worker, Redis, Auth emulator)', () => {
  let env: Awaited<ReturnType<typeof startIdeStack>>;
  let page: Page;
  let user: Awaited<ReturnType<typeof signUp>>;
  let projectId = '';
  const errors: string[] = [];
  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(artifacts, `ide-${name}.png`) });
  const files = async (id = projectId) => (await user.get<Snapshot>(`/api/projects/${id}`)).files;

  beforeAll(async () => {
    env = await startIdeStack(() => ANSWER);
    page = await newContextPage(env.browser);
    page.on('pageerror', (e) => errors.push(`${expect.getState().currentTestName ?? '(between tests)'}: ${e.stack ?? e.message}`));
    user = await signUp(page, env.stack);
  });
  afterAll(async () => {
    await page?.screenshot({ path: join(artifacts, 'ide-last.png') }).catch(() => undefined);
    await env?.stop();
  });

  it('creates a project from each template, and each runs in the preview', async () => {
    await shot('projects-empty');
    await createProject(page, 'Plain page', 'Vanilla JavaScript');
    const preview = page.frameLocator('iframe[title="Sandpack Preview"]');
    const heading = () =>
      preview
        .locator('h1')
        .innerText()
        .catch(() => '');
    await expect.poll(heading, { timeout: 45_000 }).toBe('Hello from plain JavaScript');
    await page.getByRole('link', { name: 'Patchpad' }).click();
    projectId = await createProject(page, 'Counter app', 'React + TypeScript');
    await expect.poll(heading, { timeout: 45_000 }).toBe('Hello from Patchpad');
    expect(await files()).toEqual(PROJECT_TEMPLATES['react-ts'].files);
  });

  it('adds, renames (moving it into a new folder) and deletes a file, checking paths before any request', async () => {
    await page.getByRole('button', { name: 'New file', exact: true }).click();
    await page.getByLabel('New file path').fill('src/../x.ts');
    await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/"\.\."/);
    await page.getByLabel('New file path').fill('src/util.ts');
    await page.keyboard.press('Enter');
    await page.locator('.editor-pane .monaco-editor .view-lines').first().click();
    await page.keyboard.type('export const answer = 42;');
    await expect.poll(async () => (await files())['src/util.ts'], { timeout: 15_000 }).toBe('export const answer = 42;');
    await expect.poll(() => saveStatus(page)).toBe('Saved');

    await page.locator('.tree-row', { hasText: 'util.ts' }).hover();
    await page.getByRole('button', { name: 'Rename src/util.ts' }).click();
    await page.getByLabel('New path').fill('src/lib/util.ts');
    await page.keyboard.press('Enter');
    await expect.poll(async () => Object.keys(await files()).filter((p) => p.includes('util')), { timeout: 15_000 }).toEqual(['src/lib/util.ts']);
    await shot('file-tree');

    await page.locator('.tree-row', { hasText: 'util.ts' }).hover();
    await page.getByRole('button', { name: 'Delete src/lib/util.ts' }).click();
    await expect.poll(async () => Object.keys(await files()).some((p) => p.includes('util')), { timeout: 15_000 }).toBe(false);
  });

  it('reviews the assistant’s change in the diff editor: accept one hunk, reject the other, then undo puts the files back', async () => {
    await page
      .getByRole('button', { name: /App\.tsx/ })
      .first()
      .click();
    await expect.poll(() => editorText(page)).toContain('Hello from {name}');
    const before = await files();
    // Ctrl+K with a selection asks about it: the prompt takes the focus.
    await page.locator('.editor-pane .monaco-editor .view-line', { hasText: 'Counter start' }).click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Control+k');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ask the assistant');
    await page.keyboard.type('Start the counter at ten and import extra styles');
    await page.keyboard.press('Control+Enter');

    const review = page.getByRole('region', { name: 'Proposed changes' });
    await review.waitFor({ timeout: 45_000 });
    expect(env.upstream.requests.at(-1)!.messages.at(-1)!.content).toMatch(/selected lines \d+-\d+ of src\/App\.tsx/);
    await page.getByRole('button', { name: 'Accept hunk 1 of src/App.tsx' }).waitFor({ timeout: 30_000 });
    await shot('review');
    await page.getByRole('button', { name: 'Accept hunk 1 of src/App.tsx' }).click();
    await page.getByRole('button', { name: 'Reject hunk 2 of src/App.tsx' }).click();
    await review.getByRole('button', { name: 'Apply 1 of 2' }).click();
    await expect.poll(() => page.getByTestId('notice').innerText(), { timeout: 15_000 }).toMatch(/1 of 2 hunks applied, saved as version [\w-]+/);
    await shot('applied');
    const after = await files();
    expect(after['src/App.tsx']).toContain("import './extra.css';");
    expect(after['src/App.tsx']).toContain('<Counter start={0} />');

    await page.getByTestId('notice').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByTestId('notice').innerText(), { timeout: 15_000 }).toMatch(/Change undone, saved as version/);
    expect(await files()).toEqual(before);
    const tasks = await user.get<{ tasks: { input: { projectId?: string }; decisions?: { hunks: string[] }[] }[] }>('/api/agent/tasks');
    expect(tasks.tasks.find((t) => t.input.projectId === projectId)?.decisions).toEqual([{ path: 'src/App.tsx', hunks: ['accepted', 'rejected'] }]);
    await page.getByRole('button', { name: 'Tasks', exact: true }).click();
    await expect.poll(() => page.getByTestId('task-decisions').first().innerText()).toMatch(/1 of 2 hunks kept/);
    await page.getByRole('button', { name: 'Assistant', exact: true }).click();
  });

  it('merges saves from two tabs, and a reload shows the same files', async () => {
    const second = await newContextPage(env.browser, page.context());
    await second.goto(`${env.stack.webUrl}/p/${projectId}?file=src/styles.css`);
    await expect.poll(() => editorText(second), { timeout: 45_000 }).toContain('font-family');
    await typeAtLineEnd(second, 'font-size: 1.6rem;', ' /* second tab */');
    await expect.poll(async () => (await files())['src/styles.css'], { timeout: 15_000 }).toContain('/* second tab */');

    await page
      .getByRole('button', { name: /App\.tsx/ })
      .first()
      .click();
    await typeAtLineEnd(page, 'export default function App', ' // first tab');
    await expect.poll(async () => (await files())['src/App.tsx'], { timeout: 15_000 }).toContain('// first tab');
    await expect.poll(() => saveStatus(page)).toBe('Saved');
    const merged = await files();
    expect(merged['src/App.tsx']).toContain('export default function App() { // first tab');
    expect(merged['src/styles.css']).toContain('font-size: 1.6rem; /* second tab */');
    // The first tab took the second tab's change into its own buffers.
    await page.keyboard.press('Control+p');
    await page.getByLabel('File name').fill('styles');
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page)).toContain('/* second tab */');
    await shot('merged');

    await page.reload();
    await expect.poll(() => editorText(page), { timeout: 45_000 }).toContain('/* second tab */');
    expect(await files()).toEqual(merged);
    await second.close();
  });

  it('opens an old version as a diff against now and restores it as a new version', async () => {
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await page.getByRole('button', { name: /Created from the React \+ TypeScript template/ }).click();
    const diff = page.getByRole('region', { name: 'Version diff' });
    await diff.waitFor();
    await diff.locator('.monaco-diff-editor').first().waitFor({ timeout: 30_000 });
    await shot('history-diff');
    await diff.getByRole('button', { name: 'Restore this version' }).click();
    await expect.poll(() => page.getByTestId('notice').innerText(), { timeout: 15_000 }).toMatch(/Restored the version of .* as version/);
    expect(await files()).toEqual(PROJECT_TEMPLATES['react-ts'].files);
    const { versions } = await user.get<{ versions: { restoredFrom?: string }[] }>(`/api/projects/${projectId}/versions`);
    expect(versions[0]!.restoredFrom).toBeTruthy();
  });

  it("drops Monaco's own cancellations, and only those, from the page's unhandled rejections", async () => {
    // Monaco rejects with CancellationError when an editor goes mid-debounce, and its word
    // highlighter never catches it: leaving the editor within 50 ms of focusing it raised one in
    // CI. That race is timing-bound, so reject the same error shape here, beside a real failure.
    const before = errors.length;
    await page.evaluate(() => {
      void Promise.reject(Object.assign(new Error('Canceled'), { name: 'Canceled' }));
      void Promise.reject(new Error('a real failure'));
    });
    await expect.poll(() => errors.length).toBe(before + 1);
    expect(errors.splice(before)).toEqual([expect.stringContaining('a real failure')]);
  });

  it('moves a project to the trash and restores it', async () => {
    await page.getByRole('link', { name: 'Patchpad' }).click();
    const row = page.locator(`li[data-project="${projectId}"]`);
    await row.getByRole('button', { name: 'Delete' }).click();
    const trash = page.getByRole('region', { name: 'Trash' });
    await expect.poll(() => trash.innerText()).toContain('Counter app');
    await shot('trash');
    await trash.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Your projects' }).innerText()).toContain('Counter app');
    expect(await page.getByRole('region', { name: 'Trash' }).count()).toBe(0);
  });

  it('exports a project as a zip and imports it back to identical files', async () => {
    const original = await files();
    const row = page.locator(`li[data-project="${projectId}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Export' }).click()]);
    const zipPath = join(artifacts, 'ide-export.zip');
    await download.saveAs(zipPath);
    const unzipped = unzipSync(new Uint8Array(await readFile(zipPath)));
    expect(Object.fromEntries(Object.entries(unzipped).map(([p, b]) => [p, strFromU8(b)]))).toEqual(original);

    await page.locator('input[type=file][accept*="zip"]').setInputFiles(zipPath);
    await page.waitForURL((url) => url.pathname.startsWith('/p/') && !url.pathname.endsWith(projectId));
    const imported = new URL(page.url()).pathname.split('/')[2]!;
    expect(await files(imported)).toEqual(original);
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 45_000 });
    await shot('imported');
    expect(errors).toEqual([]);
  });

  it('shows lines both tabs changed as a conflict, keeps both sides until the user chooses, and saves the choice', async () => {
    const url = `${env.stack.webUrl}/p/${projectId}?file=src/App.tsx`;
    await page.goto(url);
    const second = await newContextPage(env.browser, page.context());
    await second.goto(url);
    for (const p of [page, second]) await expect.poll(() => editorText(p), { timeout: 45_000 }).toContain('Hello from {name}');
    await typeAtLineEnd(second, 'Hello from {name}', ' {/* tab two */}');
    await expect.poll(async () => (await files())['src/App.tsx'], { timeout: 15_000 }).toContain('tab two');
    await typeAtLineEnd(page, 'Hello from {name}', ' {/* tab one */}');

    const resolver = page.getByRole('region', { name: 'Resolve conflicts' });
    await resolver.waitFor({ timeout: 15_000 });
    expect(await saveStatus(page)).toBe('Conflict: choose what to keep');
    const clash = resolver.getByRole('article', { name: 'Conflicts in src/App.tsx' });
    expect(await clash.innerText()).toContain('tab one');
    expect(await clash.innerText()).toContain('tab two');
    await shot('conflict');
    await clash.getByRole('radio', { name: 'Keep both' }).click();
    await resolver.getByRole('button', { name: 'Save the merge' }).click();
    await expect
      .poll(
        async () => {
          const app = (await files())['src/App.tsx']!;
          return app.indexOf('tab two') !== -1 && app.indexOf('tab two') < app.indexOf('tab one');
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect.poll(() => saveStatus(page)).toBe('Saved');
    await second.close();
  });
});
