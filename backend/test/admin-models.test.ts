import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/log';
import { ModelChangedError } from '../src/models/store';
import { startFakeOpenAi, type FakeOpenAi } from '../../test-support/fake-openai';
import { emulatorAdmin, emulatorUser } from '../../test-support/emulator-users';
import { authed, startTestApi, type TestApi } from './support';
import { adminModels, gatewayChat, modelBody } from './models-support';

describe('admin model registry routes', () => {
  let api: TestApi;
  let other: TestApi;
  let upstream: FakeOpenAi;
  let admin: ReturnType<typeof adminModels>;
  let userToken: string;
  let adminUid: string;

  beforeAll(async () => {
    upstream = await startFakeOpenAi(() => 'OK');
    api = await startTestApi({ OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'seeded' });
    // A second API process on the same Redis prefix: it must see every change without a restart.
    other = await startTestApi({ REDIS_PREFIX: api.config.REDIS_PREFIX, OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'seeded' });
    const a = await emulatorAdmin();
    adminUid = a.uid;
    admin = adminModels(api, a.idToken);
    userToken = (await emulatorUser()).idToken;
  });
  afterAll(async () => {
    await other.close();
    await api.close();
    await upstream.close();
  });

  it('answers 401 without a token and 403 for a signed-in user who is not an admin', async () => {
    expect((await fetch(`${api.url}/api/admin/models`)).status).toBe(401);
    const res = await fetch(`${api.url}/api/admin/models`, { headers: authed(userToken) });
    expect(res.status).toBe(403);
    const create = await fetch(`${api.url}/api/admin/models`, {
      method: 'POST',
      headers: authed(userToken),
      body: JSON.stringify(modelBody('x', upstream.baseUrl)),
    });
    expect(create.status).toBe(403);
  });

  it('lists the model the environment configured, owned by the environment', async () => {
    const { status, body } = await admin.list();
    expect(status).toBe(200);
    expect(body.models).toEqual([
      expect.objectContaining({ id: 'seeded', source: 'env', provider: 'openai_compatible', baseUrl: upstream.baseUrl, keyConfigured: true }),
    ]);
  });

  it('refuses bad input with 400 naming the field, and unknown ids with 404', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...modelBody('Bad Id', upstream.baseUrl) }, /id: /],
      [{ ...modelBody('ok-id', 'nope') }, /baseUrl: must be a URL/],
      [{ ...modelBody('ok-id', upstream.baseUrl), requiredPlan: 'gold' }, /requiredPlan/],
      [{ ...modelBody('ok-id', upstream.baseUrl), apiKeyEnv: 'sk-abc' }, /apiKeyEnv: must be the NAME/],
      [{ ...modelBody('ok-id', upstream.baseUrl), fallbacks: ['ghost'] }, /fallbacks: no model named "ghost"/],
    ];
    for (const [body, why] of cases) {
      const res = await admin.create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(why);
      // A form puts each issue under its field: every 400 lists them, the registry's own checks too.
      const field = why.source.match(/^(\w+)/)![1];
      expect((res.body.error.details as { issues: { path: string }[] }).issues, JSON.stringify(body)).toContainEqual(expect.objectContaining({ path: field }));
    }
    expect((await admin.patch('seeded', { contextWindow: 'big' })).body.error.message).toMatch(/contextWindow/);
    expect((await admin.patch('seeded', { maxOutputTokens: 9_000_000 })).body.error.message).toMatch(/maxOutputTokens/);
    expect((await admin.patch('NOT VALID', { active: true })).body.error.message).toMatch(/id parameter/);
    for (const res of [
      await admin.get('ghost'),
      await admin.patch('ghost', { active: false }),
      await admin.remove('ghost'),
      await admin.action('ghost', 'test'),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await admin.list()).body.models).toHaveLength(1);
  });

  it('creates, changes, switches off and on, and deletes, with one audit entry per change, seen by every process', async () => {
    const audit = new AuditLog(api.redis, api.config.REDIS_PREFIX);
    const before = (await audit.recent(100)).length;
    const created = await admin.create(modelBody('extra', upstream.baseUrl, { requiredPlan: 'pro', priceInputPerMTok: 1.5 }));
    expect(created.status).toBe(201);
    expect(created.body.model).toMatchObject({ id: 'extra', source: 'admin', active: true, requiredPlan: 'pro', priceInputPerMTok: 1.5 });
    expect((await admin.create(modelBody('extra', upstream.baseUrl))).status).toBe(409);
    await until(() => other.backend.gateway.catalog.resolve('extra') !== undefined);

    expect((await admin.patch('extra', { maxOutputTokens: 2048, fallbacks: ['seeded'] })).body.model).toMatchObject({
      maxOutputTokens: 2048,
      fallbacks: ['seeded'],
    });
    expect((await admin.action('extra', 'deactivate')).body.model.active).toBe(false);
    await until(() => other.backend.gateway.catalog.resolve('extra')?.active === false);
    const switchedOff = await gatewayChat(other, { model: 'extra' });
    expect(switchedOff.status).toBe(403);
    expect(switchedOff.json().error).toMatchObject({ code: 'model_inactive' });
    expect(switchedOff.json().error.message).toMatch(/^Model "extra" is switched off by an administrator; available: .*seeded/);
    expect((await admin.action('extra', 'activate')).body.model.active).toBe(true);
    const replaced = await admin.put('extra', modelBody('extra', upstream.baseUrl, { name: 'Renamed' }));
    expect(replaced.body.model).toMatchObject({ name: 'Renamed', requiredPlan: 'free', fallbacks: [], createdAt: created.body.model.createdAt });
    expect((await admin.put('extra', modelBody('other-id', upstream.baseUrl))).body.error.message).toMatch(/^id: /);

    // A model that is another's fallback cannot vanish under it.
    await admin.patch('seeded', { fallbacks: ['extra'] });
    expect((await admin.remove('extra')).status).toBe(409);
    await admin.patch('seeded', { fallbacks: [] });
    expect((await admin.remove('extra')).status).toBe(204);
    await until(() => other.backend.gateway.catalog.resolve('extra') === undefined);

    const entries = (await audit.recent(100)).slice(0, (await audit.recent(100)).length - before).reverse();
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['model.create', 'extra'],
      ['model.update', 'extra'],
      ['model.deactivate', 'extra'],
      ['model.activate', 'extra'],
      ['model.update', 'extra'],
      ['model.update', 'seeded'],
      ['model.update', 'seeded'],
      ['model.delete', 'extra'],
    ]);
    expect(entries.every((e) => e.uid === adminUid && e.outcome === 'ok' && e.requestId)).toBe(true);
    expect(entries[1]!.details).toEqual({ changed: ['fallbacks', 'maxOutputTokens'] });
    await api.backend.auditChain.drain();
    expect((await api.backend.auditChain.verify()).ok).toBe(true);
  });

  it('takes the environment entry over once an admin edits it, and keeps a deleted one deleted after a restart', async () => {
    await admin.patch('seeded', { name: 'Edited by admin' });
    const restarted = await startTestApi({
      REDIS_PREFIX: api.config.REDIS_PREFIX,
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODELS: 'seeded,new-one',
    });
    try {
      expect(restarted.backend.gateway.catalog.resolve('seeded')).toMatchObject({ name: 'Edited by admin', baseUrl: upstream.baseUrl, source: 'admin' });
      expect(restarted.backend.gateway.catalog.resolve('new-one')).toMatchObject({ source: 'env', baseUrl: 'http://127.0.0.1:9/v1' });
      expect((await admin.remove('new-one')).status).toBe(204);
    } finally {
      // close() would delete the shared prefix's keys: only stop this process.
      restarted.server.closeAllConnections();
      await new Promise((r) => restarted.server.close(r));
      await restarted.backend.close();
    }
    const again = await startTestApi({
      REDIS_PREFIX: api.config.REDIS_PREFIX,
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODELS: 'new-one',
    });
    try {
      expect(again.backend.gateway.catalog.resolve('new-one')).toBeUndefined();
    } finally {
      again.server.closeAllConnections();
      await new Promise((r) => again.server.close(r));
      await again.backend.close();
    }
  });

  it('tests a model with a tiny completion and reports its latency', async () => {
    const res = await admin.action('seeded', 'test');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, model: 'seeded', provider: 'openai_compatible', text: 'OK' });
    expect(res.body.latencyMs).toBeGreaterThanOrEqual(res.body.firstByteMs!);
    expect(upstream.requests.at(-1)).toMatchObject({ model: 'seeded', max_tokens: 16 });
    const down = await admin.create(modelBody('down', 'http://127.0.0.1:9/v1'));
    expect(down.status).toBe(201);
    const failed = await admin.action('down', 'test');
    expect(failed.body).toMatchObject({ ok: false, model: 'down', error: { code: 'upstream_unreachable' } });
    expect(failed.body.error.message).toMatch(/Model "down" \(openai_compatible at 127\.0\.0\.1:9\)/);
  });

  it('keeps every concurrent change: each patch lands once (or is told to retry), with its audit entry', async () => {
    await admin.create(modelBody('busy', upstream.baseUrl, { maxOutputTokens: 100 }));
    const versionBefore = api.backend.gateway.catalog.version;
    // 100 at once: the audit log takes every append without a race (issue 16).
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => admin.patch('busy', { maxOutputTokens: 200 + i })));
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    const audit = await new AuditLog(api.redis, api.config.REDIS_PREFIX).recent(500);
    expect(audit.filter((e) => e.target === 'busy' && e.action === 'model.update')).toHaveLength(ok.length);
    await api.backend.gateway.catalog.reload();
    // Every success is one version step: no write overwrote another unseen.
    expect(api.backend.gateway.catalog.version - versionBefore).toBe(ok.length);
  });

  it('writes 200 concurrent compare-and-set changes to the store without losing one', async () => {
    const store = api.backend.gateway.store;
    const current = (await store.get('busy'))!;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => store.replace({ ...current.entry, maxOutputTokens: 300 + i }, current.raw)),
    );
    // All read the same version: exactly one may win, the rest must be refused, not applied.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof ModelChangedError)).toBe(true);
  });
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
