import { quotaKeys, quotaPeriods, type RedisClient } from '@patchpad/shared/server';
import { AuditLog } from '../backend/src/audit/log';
import type { AuditChain } from '../backend/src/audit/chain-store';

const ACTIONS = ['task.create', 'project.save', 'task.decide', 'project.create', 'task.cancel', 'admin.user.plan'] as const;

/**
 * Seeds what an admin of a busy deployment looks at: `users` accounts with activity, plans and
 * this month's usage, and `entries` audit entries chained by the real integrator (so its
 * indexes are the ones production builds). Deterministic: user i, entry j.
 */
export async function seedAdminData(
  redis: RedisClient,
  prefix: string,
  chain: AuditChain,
  options: { users: number; entries: number },
): Promise<{ uids: string[] }> {
  const now = Date.now();
  const period = quotaPeriods(new Date(now));
  const uids = Array.from({ length: options.users }, (_, i) => `seed-user-${String(i).padStart(5, '0')}`);
  const plans = ['free', 'pro', 'enterprise'];
  for (let start = 0; start < uids.length; start += 200) {
    await Promise.all(
      uids.slice(start, start + 200).flatMap((uid, k) => {
        const i = start + k;
        const keys = quotaKeys(prefix, uid);
        return [
          redis.hset(
            keys.account,
            'plan',
            plans[i % 3]!,
            'email',
            `person${i}@example.test`,
            'lastActiveAt',
            new Date(now - i * 60_000).toISOString(),
            'admin',
            '0',
          ),
          redis.hset(keys.month(period.month), 'used', (i * 7919) % 400_000, 'reserved', 0),
          redis.set(keys.day(period.day), String(i % 40)),
          redis.zadd(`${prefix}:{users}:active`, now - i * 60_000, uid),
        ];
      }),
    );
  }
  const log = new AuditLog(redis, prefix);
  for (let start = 0; start < options.entries; start += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, options.entries - start) }, (_, k) => {
        const j = start + k;
        return log.append({
          action: ACTIONS[j % ACTIONS.length]!,
          uid: uids[j % uids.length]!,
          target: `target-${j % 5000}`,
          outcome: j % 97 === 0 ? 'failed' : j % 89 === 0 ? 'denied' : 'ok',
          details: { n: j },
        });
      }),
    );
    await chain.drain(60_000);
  }
  return { uids };
}
