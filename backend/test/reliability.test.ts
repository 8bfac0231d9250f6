import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReliabilitySystem, type ApiProcess } from '../../test-support/reliability/system';
import { auditScenario, burstScenario, crashScenario, redisDropScenario, streamScenario } from '../../test-support/reliability/scenarios';
import { hasRedisServer } from '../../test-support/reliability/owned-redis';
import { REDIS_URL } from './support';

/**
 * Issue 16 on real processes and real Redis: a burst loses nothing, a creation interrupted at
 * any point leaves no orphan, streams share connections, the audit log holds under contention.
 * `npm run report:reliability` runs the same scenarios at full size and writes docs/reliability.md.
 */
const STEPS = ['marked_live', 'created', 'enqueued', 'audited'] as const;

describe('never lose a task (real API and worker processes)', () => {
  const system = new ReliabilitySystem(REDIS_URL, { apiEnv: { REAPER_INTERVAL_MS: '250', REAPER_GRACE_MS: '1000' } });
  let steady: ApiProcess;

  beforeAll(async () => {
    await system.start();
    steady = await system.startApi();
    system.startWorker(steady.url);
    system.startWorker(steady.url);
  }, 60_000);
  afterAll(() => system.close());

  it('300 creations at once from 20 users: no 5xx, every 202 ends, every refusal is a 429 that says which limit', { timeout: 180_000 }, async () => {
    const users = await system.users(20);
    const report = await burstScenario(system, steady.url, users, 300);
    expect(report.serverErrors).toBe(0);
    expect(report.otherStatuses).toEqual({});
    expect(report.accepted + report.limited).toBe(300);
    expect(report.accepted).toBeGreaterThanOrEqual(20 * 5); // each user's in-flight allowance was used
    expect(report.limitedExplained).toBe(report.limited);
    expect(report.lost).toBe(0);
    expect(report.ended.done).toBe(report.accepted);
  });

  it(
    'an API process killed between any two writes of a creation leaves no orphan, and a retry with the same key completes it',
    { timeout: 240_000 },
    async () => {
      const cases = await crashScenario(system, steady, STEPS);
      for (const c of cases) {
        const label = `${c.step}, ${c.idempotencyKey ? 'retried with its key' : 'abandoned'}`;
        expect(c.answered, label).toBe(false);
        expect(c.orphans, label).toBe(0);
        expect(c.ended, label).toBe(c.tasks);
        expect(c.auditEntries, label).toBe(c.tasks);
        if (c.idempotencyKey) {
          expect(c.tasks, label).toBe(1);
          expect(c.retryStatus, label).toBe(c.step === 'marked_live' ? 202 : 200);
        } else {
          // Killed before the commit point: no task. After it: the task exists, is run, and ends.
          expect(c.tasks, label).toBe(c.step === 'marked_live' ? 0 : 1);
        }
      }
    },
  );
});

describe.skipIf(!hasRedisServer())('Redis dropped between any two writes of a creation', () => {
  it('answers 503 before the commit point and 202 after it; the retry with the same key completes exactly one task', { timeout: 180_000 }, async () => {
    const cases = await redisDropScenario(STEPS);
    for (const c of cases) {
      expect(c.firstStatus, c.step).toBe(c.step === 'marked_live' ? 503 : 202);
      expect([200, 202], c.step).toContain(c.retryStatus);
      expect(c.finalStatus, c.step).toBe('done');
      expect(c.auditEntries, c.step).toBe(1);
      expect(c.orphans, c.step).toBe(0);
    }
  });
});

describe('event streams share one subscription per API process', () => {
  const system = new ReliabilitySystem(REDIS_URL, { apiEnv: { STREAMS_PER_USER: '20' } });
  beforeAll(() => system.start());
  afterAll(() => system.close());

  it('500 open streams cost a handful of Redis connections; a user over the cap gets a 429 that says so', { timeout: 180_000 }, async () => {
    const api = await system.startApi();
    const report = await streamScenario(system, api, 25, 20, 4);
    expect(report.streams).toBe(500);
    expect(report.redisConnections).toBeLessThanOrEqual(4);
    expect(report.overCapStatus).toBe(429);
    expect(report.overCapRetryAfter).toBe('5');
  });
});

describe('audit log under contention', () => {
  it('takes 1,000 concurrent appends into an intact chain and names an edited entry', { timeout: 60_000 }, async () => {
    const report = await auditScenario(REDIS_URL, `rela${Date.now().toString(36)}`, Buffer.from('reliability-audit-key-0123456789abcdef'));
    expect(report).toMatchObject({ chained: 1000, verified: true, namedSeq: report.tamperedSeq });
  });
});
