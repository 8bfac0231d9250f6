import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { auditKeys } from '../../backend/src/audit/log';
import type { Stack } from '../../scripts/lib/stack';

/** Signs in on the sign-in page with an existing account and waits for the project list. */
export async function signIn(page: Page, stack: Stack, email: string, password: string): Promise<void> {
  await page.goto(stack.webUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('region', { name: 'Your projects' }).waitFor();
}

/** JSON calls to the API with an ID token, as a script (or another tab) would make them. */
export function apiAs(stack: Stack, idToken: string) {
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${idToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

/** Clicks a button that starts a download and returns the downloaded file's text. */
export async function downloadText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: await readFile((await download.path())!, 'utf8') };
}

/**
 * What someone with write access to Redis might do: rebuild the audit log stream with one
 * entry's body edited (ids, sequence numbers and MACs kept). WATCH makes the rebuild atomic
 * against the integrator appending meanwhile: if it did, read again and retry.
 */
export async function tamperWithAuditEntry(redisUrl: string, prefix: string): Promise<{ id: string; seq: number }> {
  const redis = new Redis(redisUrl);
  const key = auditKeys(prefix).log;
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      await redis.watch(key);
      const rows = (await redis.xrange(key, '-', '+')) as [string, string[]][];
      const bodies = rows.map(([id, fields]) => ({ id, f: Object.fromEntries(fields.flatMap((_, i) => (i % 2 ? [] : [[fields[i]!, fields[i + 1]!]]))) }));
      const candidates = bodies.filter((r) => r.f.e?.includes('"outcome":"ok"'));
      const victim = candidates[Math.floor(candidates.length / 2)];
      if (!victim) throw new Error(`no audit entry to tamper with among ${rows.length}`);
      const multi = redis.multi().del(key);
      for (const { id, f } of bodies)
        multi.xadd(key, id, 's', f.s!, 'm', f.m!, 'e', id === victim.id ? f.e!.replace('"outcome":"ok"', '"outcome":"denied"') : f.e!);
      if ((await multi.exec()) !== null) return { id: victim.id, seq: Number(victim.f.s) };
    }
    throw new Error('the audit log kept changing while it was rebuilt');
  } finally {
    redis.disconnect();
  }
}
