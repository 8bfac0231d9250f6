import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PROJECT_TEMPLATES, type AdminUser, type TaskView } from '@patchpad/shared';
import { createPatch } from '@patchpad/shared/patch';
import { hasChromium } from '../../test-support/browser';
import { emulatorAdmin, emulatorSignIn } from '../../test-support/emulator-users';
import { apiAs, downloadText, signIn, tamperWithAuditEntry } from './admin-support';
import { artifacts, newContextPage, signUp, startIdeStack } from './ide-support';

const APP = PROJECT_TEMPLATES['react-ts'].files['src/App.tsx']!;
const ANSWER = `Done.\n\n\`\`\`diff\n${createPatch('src/App.tsx', APP, APP.replace('<Counter start={0} />', '<Counter start={5} />'))}\`\`\`\n`;

/**
 * The admin view against the whole app (API, gateway, worker, Redis, the Auth emulator): a
 * non-admin is refused, an admin walks every page, changes a quota, watches it arrive on the
 * live tail, exports it, and sees the chain badge turn red once Redis is tampered with.
 */
describe.skipIf(!hasChromium())('the admin view in a real browser', () => {
  let env: Awaited<ReturnType<typeof startIdeStack>>;
  let member: { email: string; uid: string; call: ReturnType<typeof apiAs> };
  let admin: { email: string; uid: string; call: ReturnType<typeof apiAs> };
  let taskId = '';
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(artifacts, `admin-${name}.png`), fullPage: true });

  beforeAll(async () => {
    env = await startIdeStack(() => ANSWER);
    process.env.FIREBASE_AUTH_EMULATOR_HOST ??= env.stack.emulatorHost!;
  });
  afterAll(async () => {
    await page?.screenshot({ path: join(artifacts, 'admin-last.png') }).catch(() => undefined);
    await env?.stop();
  });

  it('shows a non-admin no admin link, and a clear 403 page at an admin URL (the API refuses too)', async () => {
    const p = await newContextPage(env.browser);
    p.on('pageerror', (e) => errors.push(e.message));
    const user = await signUp(p, env.stack);
    const token = await emulatorSignIn(user.email, 'correct horse battery');
    member = { email: user.email, uid: (await user.get<{ user: { uid: string } }>('/api/me')).user.uid, call: apiAs(env.stack, token) };

    await p.goto(`${env.stack.webUrl}/admin/users`);
    await p.getByRole('heading', { name: 'You need the admin role' }).waitFor();
    expect(await p.getByRole('alert').innerText()).toContain(user.email);
    await shot('forbidden', p);
    await p.getByRole('link', { name: 'Back to your projects' }).click();
    await p.getByRole('region', { name: 'Your projects' }).waitFor();
    expect(await p.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    const refused = await member.call<{ error: { message: string } }>('GET', '/api/admin/users');
    expect(refused).toMatchObject({ status: 403, body: { error: { message: expect.stringMatching(/admin role/) } } });

    // A task of this user, so the tasks and usage pages have something to show.
    const created = await member.call<{ task: TaskView }>('POST', '/api/agent/tasks', { prompt: 'Start the counter at 5', files: { 'src/App.tsx': APP } });
    expect(created.status).toBe(202);
    taskId = created.body.task.id;
    await expect
      .poll(async () => (await member.call<{ task: TaskView }>('GET', `/api/agent/tasks/${taskId}`)).body.task.status, { timeout: 60_000 })
      .toBe('done');
    await p.context().close();
  });

  it('lets an admin change a user’s quota, with inline validation, and shows the audit entry on the live tail', async () => {
    const a = await emulatorAdmin();
    admin = { email: a.email, uid: a.uid, call: apiAs(env.stack, a.idToken) };
    page = await newContextPage(env.browser);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, env.stack, a.email, 'secret-pass');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(/\/admin\/users$/);

    // The audit log open in a second tab, tailing live, before the change is made.
    const auditTab = await page.context().newPage();
    await auditTab.goto(`${env.stack.webUrl}/admin/audit`);
    await auditTab.getByText('live', { exact: true }).waitFor({ timeout: 15_000 });
    // A background tab gets throttled animation frames, which slows every click's stability check.
    await page.bringToFront();

    await page.getByLabel('Search users').fill(member.email);
    await page.getByRole('button', { name: `Open ${member.email}` }).click();
    const panel = page.getByRole('complementary', { name: `User ${member.email}` });
    await panel.getByLabel('Tasks at once').fill('0');
    await panel.getByLabel('Tasks per day').fill('lots');
    await panel.getByRole('button', { name: 'Save overrides' }).click();
    await expect.poll(() => panel.locator('.field-error').allInnerTexts()).toEqual([expect.stringMatching(/whole number/)]);
    await panel.getByLabel('Tasks per day').fill('7');
    await panel.getByRole('button', { name: 'Save overrides' }).click();
    await expect.poll(() => panel.locator('.field-error').allInnerTexts()).toEqual([expect.stringMatching(/>=\s*1/)]);
    await panel.getByLabel('Tasks at once').fill('3');
    await panel.getByRole('button', { name: 'Save overrides' }).click();
    await panel.getByText('Overrides saved.').waitFor();
    const stored = await admin.call<{ user: AdminUser }>('GET', `/api/admin/users/${member.uid}`);
    expect(stored.body.user).toMatchObject({ overrides: { tasksPerDay: 7, tasksInFlight: 3 }, tasksToday: { limit: 7 } });
    await shot('users');

    const live = auditTab.getByRole('table', { name: 'Live entries' });
    const row = live.locator('tr', { hasText: 'admin.user.overrides' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain(member.uid);
    page = auditTab;
    await page.bringToFront();
  });

  it('filters the audit log, exports the filtered set as CSV and JSON, and turns the chain badge red after tampering', async () => {
    await page.getByLabel('Filter action').fill('admin.user.overrides');
    await page.getByRole('button', { name: 'Apply' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);

    const csv = await downloadText(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
    expect(csv.name).toMatch(/^patchpad-audit-.*\.csv$/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('id,seq,at,action,uid,target,outcome,requestId,details');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`admin.user.overrides,${admin.uid},${member.uid},ok`);
    expect(lines[1]).toContain('""tasksPerDay"":7');
    const json = await downloadText(page, () => page.getByRole('button', { name: 'Export JSON' }).click());
    expect(JSON.parse(json.text)).toEqual([
      expect.objectContaining({
        action: 'admin.user.overrides',
        uid: admin.uid,
        target: member.uid,
        details: { overrides: { tasksPerDay: 7, tasksInFlight: 3 } },
      }),
    ]);

    const badge = page.getByTestId('chain-status');
    await expect.poll(() => badge.innerText(), { timeout: 15_000 }).toContain('Chain intact');
    const victim = await tamperWithAuditEntry(env.stack.redisUrl, env.prefix);
    await page.getByRole('button', { name: 'Verify again' }).click();
    await expect.poll(() => badge.innerText(), { timeout: 15_000 }).toContain(`Chain broken at entry ${victim.id} (#${victim.seq})`);
    expect(await badge.locator('.badge-bad').count()).toBe(1);
    await shot('audit');
  });

  it('shows usage charts, health, tasks with their phases, and the model registry with a test and inline errors', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('figure', { name: 'Tokens per model per day' }).locator('.recharts-bar-rectangle').first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '30 days' }).click();
    await page.getByRole('figure', { name: 'Tasks per day by outcome' }).locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.locator('.stat', { hasText: 'Success rate' }).innerText()).toContain('100.0%');
    expect(await page.getByRole('table', { name: 'Top users' }).innerText()).toContain(member.email);
    await shot('usage');

    await page.getByRole('link', { name: 'Health' }).click();
    await expect.poll(() => page.getByLabel('Redis').innerText(), { timeout: 15_000 }).toMatch(/ok/);
    await page.getByRole('table', { name: 'Workers' }).locator('tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Store').innerText()).toContain('fs');
    await shot('health');

    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('button', { name: 'Recent' }).click();
    await page.getByRole('button', { name: `Open task ${taskId}` }).click();
    const detail = page.getByRole('complementary', { name: `Task ${taskId}` });
    await detail.getByRole('list', { name: 'Phases' }).waitFor();
    expect(await detail.getByRole('list', { name: 'Phases' }).innerText()).toMatch(/model/);
    expect(await detail.innerText()).toContain('Start the counter at 5');
    expect(await page.getByRole('table', { name: 'Tasks' }).innerText()).toContain(member.email);
    await shot('tasks');

    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'Test fake-model' }).click();
    await expect.poll(() => page.getByTestId('test-fake-model').innerText(), { timeout: 20_000 }).toMatch(/ok\s+\d+ ms/);
    await page.getByRole('button', { name: 'New model' }).click();
    const form = page.getByRole('form', { name: 'New model' });
    await form.getByLabel('Id', { exact: true }).fill('backup');
    await form.getByLabel('Name', { exact: true }).fill('Backup');
    await form.getByLabel('Base URL').fill('not a url');
    await form.getByLabel('Upstream model').fill('backup-1');
    await form.getByLabel('Fallbacks').fill('nope');
    await form.getByRole('button', { name: 'Create model' }).click();
    await expect.poll(() => form.locator('[data-field="baseUrl"]').innerText()).toMatch(/must be a URL/);
    await form.getByLabel('Base URL').fill(env.upstream.baseUrl);
    await form.getByRole('button', { name: 'Create model' }).click();
    // Only the server knows which models exist: its 400 lands under the field.
    await expect.poll(() => form.locator('[data-field="fallbacks"]').innerText()).toMatch(/no model named "nope"/);
    await shot('models-form');
    await form.getByLabel('Fallbacks').fill('fake-model');
    await form.getByRole('button', { name: 'Create model' }).click();
    const created = page.locator('tr[data-model="backup"]');
    await created.waitFor();
    await page.getByRole('button', { name: 'Deactivate backup' }).click();
    await expect.poll(() => created.innerText()).toContain('off');
    expect((await admin.call<{ model: { active: boolean } }>('GET', '/api/admin/models/backup')).body.model.active).toBe(false);
    await shot('models');
    expect(errors).toEqual([]);
  });
});
