import type { AdminUser, AdminUserPage, AdminUserPatch, AdminUserQuery } from '@patchpad/shared';
import { quotaKeys, quotaPeriods, type RedisClient } from '@patchpad/shared/server';
import { AppError } from '../http/errors';
import { decodeCursor, encodeCursor } from './cursor';
import type { AuthUser } from '../http/request-context';
import type { AuditLog } from '../audit/log';
import type { RoleManager } from '../auth/roles';
import type { AccountStore } from '../quota/accounts';
import type { QuotaLedger } from '../quota/ledger';
import { effectiveLimits, type PlanTable } from '../quota/plans';
import type { UsageReader } from './usage';

export type AdminUsersDeps = {
  redis: RedisClient;
  prefix: string;
  accounts: AccountStore;
  ledger: QuotaLedger;
  plans: PlanTable;
  usage: UsageReader;
  roles: RoleManager;
  audit: AuditLog;
};

/**
 * The admin's view of users: who they are, their plan and allowances, what they used this
 * period and what it cost, and the changes an admin makes (each one an audit event). Users are
 * known from their activity (every signed-in request notes it), newest first.
 */
export class AdminUsers {
  constructor(private readonly deps: AdminUsersDeps) {}

  async list(query: AdminUserQuery): Promise<AdminUserPage> {
    const { redis, accounts } = this.deps;
    const index = await redis.zrevrange(accounts.activityIndex, 0, -1);
    let uids = index;
    const needle = query.q?.toLowerCase();
    if (needle || query.sort === 'email') {
      const emails = await Promise.all(uids.map((uid) => redis.hget(quotaKeys(this.deps.prefix, uid).account, 'email')));
      const rows = uids.map((uid, i) => ({ uid, email: (emails[i] ?? '').toLowerCase() }));
      const kept = needle ? rows.filter((r) => r.uid.toLowerCase().includes(needle) || r.email.includes(needle)) : rows;
      if (query.sort === 'email') kept.sort((a, b) => a.email.localeCompare(b.email) || a.uid.localeCompare(b.uid));
      uids = kept.map((r) => r.uid);
    }
    if (query.sort === 'tokens') {
      const month = quotaPeriods(new Date()).month;
      const used = await Promise.all(uids.map((uid) => redis.hget(quotaKeys(this.deps.prefix, uid).month(month), 'used')));
      uids = uids
        .map((uid, i) => ({ uid, used: Number(used[i] ?? 0) }))
        .sort((a, b) => b.used - a.used || a.uid.localeCompare(b.uid))
        .map((r) => r.uid);
    }
    const offset = decodeCursor(query.cursor);
    const page = uids.slice(offset, offset + query.limit);
    return {
      users: await Promise.all(page.map((uid) => this.get(uid))),
      next: offset + query.limit < uids.length ? encodeCursor(offset + query.limit) : null,
      total: uids.length,
    };
  }

  async get(uid: string): Promise<AdminUser> {
    const now = new Date();
    const account = await this.deps.accounts.get(uid, { fresh: true });
    const limits = effectiveLimits(account, this.deps.plans);
    const monthStart = `${now.toISOString().slice(0, 8)}01`;
    const [summary, profile, days] = await Promise.all([
      this.deps.ledger.summary(uid, account.plan, limits, now),
      this.deps.accounts.profile(uid),
      this.deps.usage.usageForUser(uid, { from: monthStart, to: now.toISOString().slice(0, 10) }),
    ]);
    return {
      uid,
      email: profile.email,
      plan: account.plan,
      admin: profile.admin,
      disabled: account.disabled,
      ...(account.disabledReason ? { disabledReason: account.disabledReason } : {}),
      overrides: account.overrides,
      tokens: { used: summary.tokens.used, reserved: summary.tokens.reserved, limit: summary.tokens.limit },
      tasksToday: { used: summary.tasksToday.used, limit: summary.tasksToday.limit },
      costUsd: days.reduce((sum, d) => sum + d.total.costUsd, 0),
      lastActiveAt: profile.lastActiveAt,
    };
  }

  /** Applies each field of the patch and audits each as its own event. */
  async patch(admin: AuthUser, uid: string, patch: AdminUserPatch, requestId: string): Promise<AdminUser> {
    await this.requireKnown(uid);
    const { accounts, audit, roles } = this.deps;
    const record = (action: string, details: Record<string, unknown>) => audit.append({ action, uid: admin.uid, target: uid, requestId, details });
    if (patch.plan !== undefined) {
      await accounts.setPlan(uid, patch.plan);
      await record('admin.user.plan', { plan: patch.plan });
    }
    if (patch.overrides !== undefined) {
      await accounts.setOverrides(uid, patch.overrides);
      await record('admin.user.overrides', { overrides: patch.overrides });
    }
    if (patch.disabled !== undefined) {
      if (patch.disabled && uid === admin.uid) throw AppError.badRequest('You cannot disable your own account');
      await accounts.setDisabled(uid, patch.disabled, patch.disabledReason);
      await record(patch.disabled ? 'admin.user.disable' : 'admin.user.enable', patch.disabledReason ? { reason: patch.disabledReason } : {});
    }
    if (patch.admin !== undefined) {
      if (!patch.admin && uid === admin.uid) throw AppError.badRequest('You cannot revoke your own admin role; ask another admin');
      await roles.setAdmin(uid, patch.admin);
      await accounts.setAdminMirror(uid, patch.admin);
      await record(patch.admin ? 'admin.user.grant_admin' : 'admin.user.revoke_admin', {});
    }
    return this.get(uid);
  }

  async resetUsage(admin: AuthUser, uid: string, requestId: string): Promise<AdminUser> {
    await this.requireKnown(uid);
    await this.deps.ledger.reset(uid);
    await this.deps.audit.append({ action: 'admin.user.reset_usage', uid: admin.uid, target: uid, requestId });
    return this.get(uid);
  }

  private async requireKnown(uid: string): Promise<void> {
    if ((await this.deps.redis.zscore(this.deps.accounts.activityIndex, uid)) === null) throw AppError.notFound(`User ${uid}`);
  }
}
