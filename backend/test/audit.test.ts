import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { AuditLog, auditKeys } from '../src/audit/log';
import { AuditChain } from '../src/audit/chain-store';
import { createFsProjectStore } from '../src/projects/drivers/fs';
import type { ProjectStore } from '../src/projects/store';
import { deleteKeys, REDIS_URL } from './support';

const KEY = Buffer.from('audit-test-key-0123456789abcdef0123456789');

describe('audit log: O(1) appends, one keyed chain, sealed checkpoints', () => {
  let redis: Redis;
  let prefix: string;
  let dir: string;
  let store: ProjectStore;
  const connections: Redis[] = [];

  const chain = (over: Partial<ConstructorParameters<typeof AuditChain>[0]> = {}) =>
    new AuditChain({
      redis,
      prefix,
      key: KEY,
      archive: store,
      log: pino({ level: 'silent' }),
      checkpointEvery: 1_000_000,
      checkpointIntervalMs: 3_600_000,
      ...over,
    });

  beforeEach(async () => {
    redis = new Redis(REDIS_URL);
    prefix = `ta${Math.random().toString(36).slice(2, 10)}`;
    dir = await mkdtemp(join(tmpdir(), 'patchpad-audit-'));
    store = createFsProjectStore(dir);
  });
  afterEach(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    connections.splice(0).forEach((c) => c.disconnect());
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  /** Rewrites the chained log as someone with Redis write access could: `edit` may change, drop or reorder rows. */
  async function rewriteLog(edit: (rows: [string, Record<string, string>][]) => [string, Record<string, string>][]) {
    const key = auditKeys(prefix).log;
    const rows = (await redis.xrange(key, '-', '+')).map(
      ([id, f]) => [id, Object.fromEntries(f.flatMap((_, i) => (i % 2 ? [] : [[f[i], f[i + 1]]])))] as [string, Record<string, string>],
    );
    await redis.del(key);
    for (const [id, fields] of edit(rows)) await redis.xadd(key, id, ...Object.entries(fields).flat());
  }

  it('takes 1,000 concurrent appends from 10 connections while integrating, and chains all of them in order', async () => {
    const integrator = chain();
    const stop = integrator.start(5);
    const logs = Array.from({ length: 10 }, () => {
      const c = new Redis(REDIS_URL);
      connections.push(c);
      return new AuditLog(c, prefix);
    });
    const appended = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => logs[i % 10]!.append({ action: 'test.burst', uid: `u${i % 20}`, target: String(i) })),
    );
    await stop();
    await integrator.drain();
    expect(new Set(appended.map((e) => e.id)).size).toBe(1000);
    const log = await redis.xrange(auditKeys(prefix).log, '-', '+');
    expect(log).toHaveLength(1000);
    // In stream order, numbered 1..1000 without gaps, and every append is there.
    expect(log.map(([, f]) => Number(f[f.indexOf('s') + 1]))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(log.map(([id]) => id).sort()).toEqual(appended.map((e) => e.id).sort());
    expect(await integrator.verify()).toEqual({ ok: true, entries: 1000, pending: 0, checkpoints: 0 });
  });

  it('appends an event id once, however many times it is retried at once', async () => {
    const log = new AuditLog(redis, prefix);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => log.append({ action: 'task.create', uid: 'u1', target: 't1', eventId: 'task.create:t1' })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await log.append({ action: 'task.create', uid: 'u1', target: 't2', eventId: 'task.create:t2' });
    await chain().drain();
    expect((await log.recent(10)).map((e) => e.target)).toEqual(['t2', 't1']);
  });

  it('names an edited entry even when the attacker recomputed an unkeyed hash chain', async () => {
    const log = new AuditLog(redis, prefix);
    for (let i = 0; i < 30; i++) await log.append({ action: 'project.save', uid: 'alice', target: `p${i}` });
    const integrator = chain();
    await integrator.drain();
    let editedId = '';
    await rewriteLog((rows) => {
      let prev = '';
      return rows.map(([id, f], i) => {
        const body = i === 17 ? f.e!.replace('"uid":"alice"', '"uid":"mallory"') : f.e!;
        if (i === 17) editedId = id;
        prev = createHash('sha256').update(prev).update(body).digest('hex');
        return [id, { ...f, e: body, h: prev }];
      });
    });
    expect(await integrator.verify()).toMatchObject({ ok: false, firstBad: { id: editedId, seq: 18 }, reason: expect.stringMatching(/modified/) });
  });

  it('names the entry after one that was removed, and a reordering', async () => {
    const log = new AuditLog(redis, prefix);
    for (let i = 0; i < 10; i++) await log.append({ action: 'project.save', uid: 'alice', target: `p${i}` });
    const integrator = chain();
    await integrator.drain();
    const ids = (await redis.xrange(auditKeys(prefix).log, '-', '+')).map(([id]) => id);
    await rewriteLog((rows) => rows.filter((_, i) => i !== 4));
    expect(await integrator.verify()).toMatchObject({ ok: false, firstBad: { id: ids[5], seq: 6 }, reason: expect.stringMatching(/entries 5–5 are missing/) });
  });

  it('catches a truncated log whose head was rolled back to match, through the sealed checkpoint', async () => {
    const log = new AuditLog(redis, prefix);
    const integrator = chain({ checkpointEvery: 5 });
    await integrator.drain(); // starts the checkpoint clock
    for (let i = 0; i < 12; i++) await log.append({ action: 'project.save', uid: 'alice', target: `p${i}` });
    await integrator.drain();
    expect((await integrator.verify()).checkpoints).toBe(1);
    // Drop the last 8 entries and make the head agree with what is left.
    const rows = await redis.xrange(auditKeys(prefix).log, '-', '+');
    const keep = rows[3]!;
    await rewriteLog((all) => all.slice(0, 4));
    await redis.hset(auditKeys(prefix).head, 'seq', 4, 'mac', keep[1][keep[1].indexOf('m') + 1]!, 'id', keep[0]);
    expect(await integrator.verify()).toMatchObject({
      ok: false,
      firstBad: { id: null, seq: 5 },
      reason: expect.stringMatching(/checkpoint 12 was sealed: entries 5–12 were removed/),
    });
  });

  it('keeps the entries in the store: a sealed segment holds every entry up to its checkpoint', async () => {
    const log = new AuditLog(redis, prefix);
    const integrator = chain({ checkpointEvery: 3 });
    await integrator.drain();
    for (let i = 0; i < 7; i++) await log.append({ action: 'project.save', uid: 'alice', target: `p${i}` });
    await integrator.drain();
    const checkpoints = await store.listObjects('audit/checkpoints/');
    expect(checkpoints).toEqual(['audit/checkpoints/000000000007.json']);
    const cp = JSON.parse((await store.getObject(checkpoints[0]!))!.toString()) as { segment: string; segmentSha256: string };
    const segment = (await store.getObject(cp.segment))!;
    expect(createHash('sha256').update(segment).digest('hex')).toBe(cp.segmentSha256);
    const lines = gunzipSync(segment)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; e: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines.map((l) => (JSON.parse(l.e) as { target: string }).target)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('refuses a forged checkpoint and one sealed with another key', async () => {
    const log = new AuditLog(redis, prefix);
    const integrator = chain({ checkpointEvery: 2 });
    await integrator.drain();
    for (let i = 0; i < 3; i++) await log.append({ action: 'project.save', uid: 'alice', target: `p${i}` });
    await integrator.drain();
    const [name] = await store.listObjects('audit/checkpoints/');
    const path = join(dir, 'objects', name!);
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace(/"seq":3/, '"seq":2'));
    expect(await integrator.verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/forged signature/) });
    await writeFile(path, original);
    const otherKey = chain({ key: Buffer.from('another-key-0123456789abcdef0123456789ab') });
    expect(await otherKey.verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/sealed with another key/) });
    expect(await integrator.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('voids a round whose inbox rows another round chained first, whatever the order of their reads', async () => {
    const log = new AuditLog(redis, prefix);
    for (let i = 0; i < 5; i++) await log.append({ action: 'test.race', uid: 'u1', target: String(i) });
    // The second round's head read waits until the first round has committed its batch.
    let release!: () => void;
    const firstCommitted = new Promise<void>((r) => (release = r));
    const slow = new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop === 'hgetall') return async (...args: [string]) => (await firstCommitted, target.hgetall(...args));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const second = chain({ redis: slow }).integrateBatch();
    await new Promise((r) => setTimeout(r, 50)); // the second round is waiting on its read
    expect(await chain().integrateBatch()).toBe(5);
    release();
    expect([0, -1]).toContain(await second);
    expect(await chain().verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it('lets only one of several integrators chain at a time', async () => {
    const log = new AuditLog(redis, prefix);
    const integrators = [chain(), chain(), chain()];
    const stops = integrators.map((c) => c.start(1));
    await Promise.all(Array.from({ length: 300 }, (_, i) => log.append({ action: 'test.race', uid: null, target: String(i) })));
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all(stops.map((s) => s()));
    await integrators[0]!.drain();
    expect(await integrators[1]!.verify()).toEqual({ ok: true, entries: 300, pending: 0, checkpoints: 0 });
  });
});
