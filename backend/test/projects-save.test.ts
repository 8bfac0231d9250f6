import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../src/audit/log';
import { AuditLog } from '../src/audit/log';
import { emulatorUser } from '../../test-support/emulator-users';
import { Redis } from 'ioredis';
import { authed, REDIS_URL, startTestApi, type TestApi } from './support';

type Snapshot = { project: { id: string; createdAt: string }; version: string; files: Record<string, string> };
type Saved = { version: string; replayed?: true; merge?: { base: string; onto: string; files: Record<string, string | null> } };

/** An audit log whose next `failures` appends throw (Redis itself stays up): the audit write failing after a save. */
class FlakyAudit extends AuditLog {
  failures = 0;
  override async append(input: AuditInput) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('injected audit failure');
    }
    return super.append(input);
  }
}

describe('saving: merges, replays and the audit record', () => {
  let api: TestApi;
  let audit: FlakyAudit;
  let token: string;
  const auditRedis = new Redis(REDIS_URL);
  beforeAll(async () => {
    const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
    audit = new FlakyAudit(auditRedis, prefix);
    api = await startTestApi({ REDIS_PREFIX: prefix }, { projectAudit: audit });
    token = (await emulatorUser()).idToken;
  });
  afterAll(async () => {
    await api.close();
    auditRedis.disconnect();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, { method, headers: authed(token, headers), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const create = async (files: Record<string, string>) => (await (await call('POST', '/api/projects', { name: 'Merge', files })).json()) as Snapshot;
  const save = (id: string, body: unknown) => call('PUT', `/api/projects/${id}/files`, body);
  const entries = async (action: string, target: string) => (await audit.recent(500)).filter((e) => e.action === action && e.target === target);

  const base = { 'src/a.ts': 'one\ntwo\nthree\nfour\nfive\n', 'src/b.ts': 'b\n' };

  it('merges a save from a stale base with the newer version when their changes do not overlap, and says what changed', async () => {
    const p = await create(base);
    const id = p.project.id;
    const tab2 = { ...base, 'src/a.ts': 'one\ntwo\nthree\nfour\nFIVE\n', 'src/new.ts': 'from tab 2\n' };
    const first = (await (await save(id, { files: tab2, baseVersion: p.version })).json()) as Saved;
    const tab1 = { ...base, 'src/a.ts': 'ONE\ntwo\nthree\nfour\nfive\n', 'src/b.ts': 'b changed in tab 1\n' };
    const res = await save(id, { files: tab1, baseVersion: p.version, message: 'tab 1' });
    expect(res.status).toBe(200);
    const merged = (await res.json()) as Saved;
    expect(merged.merge).toEqual({
      base: p.version,
      onto: first.version,
      files: { 'src/a.ts': 'ONE\ntwo\nthree\nfour\nFIVE\n', 'src/new.ts': 'from tab 2\n' },
    });
    const loaded = (await (await call('GET', `/api/projects/${id}`)).json()) as Snapshot;
    expect(loaded.version).toBe(merged.version);
    expect(loaded.files).toEqual({ 'src/a.ts': 'ONE\ntwo\nthree\nfour\nFIVE\n', 'src/b.ts': 'b changed in tab 1\n', 'src/new.ts': 'from tab 2\n' });
    const history = (await (await call('GET', `/api/projects/${id}/versions`)).json()) as {
      versions: { id: string; parent?: string; mergeBase?: string; message?: string }[];
    };
    expect(history.versions[0]).toMatchObject({ id: merged.version, parent: first.version, mergeBase: p.version, message: 'tab 1' });
  });

  it('answers 409 merge_conflict naming the files when both changed the same lines, and stores nothing', async () => {
    const p = await create(base);
    const id = p.project.id;
    const theirs = (await (await save(id, { files: { ...base, 'src/a.ts': 'one\nTWO theirs\nthree\nfour\nfive\n' }, baseVersion: p.version })).json()) as Saved;
    const res = await save(id, { files: { ...base, 'src/a.ts': 'one\nTWO mine\nthree\nfour\nfive\n', 'src/b.ts': 'fine\n' }, baseVersion: p.version });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; message: string; details: unknown } };
    expect(error.code).toBe('merge_conflict');
    expect(error.message).toMatch(/src\/a\.ts/);
    expect(error.details).toEqual({ latestVersion: theirs.version, conflicts: ['src/a.ts'] });
    const loaded = (await (await call('GET', `/api/projects/${id}`)).json()) as Snapshot;
    expect(loaded.version).toBe(theirs.version);

    // A base the server does not know (purged, or another project's): the client merges itself.
    const unknown = await save(id, { files: base, baseVersion: '20200101T000000000Z-00000000' });
    expect(unknown.status).toBe(409);
    expect(((await unknown.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: 'merge_conflict',
      details: { latestVersion: theirs.version, conflicts: [] },
    });
  });

  it('answers a retried save with the version it stored (no 409, no second version)', async () => {
    const p = await create(base);
    const id = p.project.id;
    const body = { files: { ...base, 'src/b.ts': 'retried\n' }, baseVersion: p.version };
    const [a, b] = [await save(id, body), await save(id, body)];
    expect([a.status, b.status]).toEqual([200, 200]);
    const [first, again] = (await Promise.all([a.json(), b.json()])) as [Saved, Saved];
    expect(again).toMatchObject({ version: first.version, replayed: true });
    const history = (await (await call('GET', `/api/projects/${id}/versions`)).json()) as { versions: unknown[] };
    expect(history.versions).toHaveLength(2);
  });

  it('audit write fails once: 503 that says the save was stored; the retry returns the same version with one audit entry', async () => {
    const p = await create(base);
    const id = p.project.id;
    const body = { files: { ...base, 'src/a.ts': 'audited\n' }, baseVersion: p.version };
    audit.failures = 1;
    const failed = await save(id, body);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    const { error } = (await failed.json()) as { error: { code: string; message: string; details: { eventId: string } } };
    expect(error.code).toBe('audit_unavailable');
    expect(error.message).toMatch(/stored as version .*Send the same request again/);
    const retried = await save(id, body);
    expect(retried.status).toBe(200);
    const saved = (await retried.json()) as Saved;
    expect(error.details.eventId).toBe(`project.save:${saved.version}`);
    expect(saved.replayed).toBe(true);
    const saves = await entries('project.save', id);
    expect(saves.map((e) => e.eventId)).toEqual([`project.save:${saved.version}`]);
    expect(saves[0]).toMatchObject({ uid: expect.any(String), outcome: 'ok', details: { version: saved.version } });
  });

  it('a create whose audit write failed, retried with its Idempotency-Key, returns the same project once', async () => {
    const key = `create-${Math.random().toString(36).slice(2)}`;
    audit.failures = 1;
    const failed = await call('POST', '/api/projects', { name: 'Retried', template: 'vanilla-js' }, { 'Idempotency-Key': key });
    expect(failed.status).toBe(503);
    const retried = await call('POST', '/api/projects', { name: 'Retried', template: 'vanilla-js' }, { 'Idempotency-Key': key });
    expect(retried.status).toBe(200);
    const snapshot = (await retried.json()) as Snapshot;
    const projects = (await (await call('GET', '/api/projects')).json()) as { projects: { id: string; name: string }[] };
    expect(projects.projects.filter((m) => m.name === 'Retried').map((m) => m.id)).toEqual([snapshot.project.id]);
    expect((await entries('project.create', snapshot.project.id)).map((e) => e.eventId)).toEqual([
      `project.create:${snapshot.project.id}:${snapshot.project.createdAt}`,
    ]);
  });

  it('records the author and the task a save came from', async () => {
    const p = await create(base);
    const taskId = '0b9f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4';
    await save(p.project.id, { files: { ...base, 'src/b.ts': 'from AI\n' }, baseVersion: p.version, message: 'Renamed the heading', taskId });
    const { versions } = (await (await call('GET', `/api/projects/${p.project.id}/versions`)).json()) as {
      versions: { message?: string; taskId?: string; author?: { uid: string; email?: string } }[];
    };
    expect(versions[0]).toMatchObject({ message: 'Renamed the heading', taskId, author: { uid: expect.any(String), email: expect.stringContaining('@') } });
    const bad = await save(p.project.id, { files: base, taskId: 'not-a-task' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/taskId/);
  });
});
