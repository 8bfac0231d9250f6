import { accountSchema, planSchema, quotaOverridesSchema, type Account, type Plan, type QuotaOverrides } from '@patchpad/shared';
import { quotaKeys, type RedisClient } from '@patchpad/shared/server';

/** Seconds an account read stays cached in this process: an admin's change reaches every process within it. */
const CACHE_MS = 2_000;
/** Activity is written at most this often per user and process. */
const TOUCH_MS = 60_000;

/**
 * Users' accounts: plan, admin overrides and the disabled flag, in a hash on the user's Redis
 * slot (the task-creation script reads its counters there). A user nobody has configured is on
 * the default plan with no overrides; nothing is stored for them until something changes.
 */
export class AccountStore {
  private readonly cache = new Map<string, { at: number; account: Account }>();
  /** Per user: when this process last recorded activity, and that write (later callers wait on it). */
  private readonly touched = new Map<string, { at: number; write: Promise<void> }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly defaultPlan: Plan,
  ) {}

  /** Global index of users by last activity (for the admin's user list). */
  get activityIndex(): string {
    return `${this.prefix}:{users}:active`;
  }

  async get(uid: string, { fresh = false } = {}): Promise<Account> {
    const hit = this.cache.get(uid);
    if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.account;
    const raw = await this.redis.hgetall(quotaKeys(this.prefix, uid).account);
    const account = accountSchema.parse({
      uid,
      plan: planSchema.safeParse(raw.plan).success ? raw.plan : this.defaultPlan,
      overrides: raw.overrides ? quotaOverridesSchema.parse(JSON.parse(raw.overrides)) : {},
      disabled: raw.disabled === '1',
      ...(raw.disabledReason ? { disabledReason: raw.disabledReason } : {}),
    });
    this.cache.set(uid, { at: Date.now(), account });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return account;
  }

  async setPlan(uid: string, plan: Plan): Promise<Account> {
    await this.redis.hset(quotaKeys(this.prefix, uid).account, 'plan', plan);
    return this.get(uid, { fresh: true });
  }

  /** Replaces the user's overrides (an empty object removes them). */
  async setOverrides(uid: string, overrides: QuotaOverrides): Promise<Account> {
    await this.redis.hset(quotaKeys(this.prefix, uid).account, 'overrides', JSON.stringify(overrides));
    return this.get(uid, { fresh: true });
  }

  async setDisabled(uid: string, disabled: boolean, reason?: string): Promise<Account> {
    const key = quotaKeys(this.prefix, uid).account;
    if (disabled) await this.redis.hset(key, 'disabled', '1', 'disabledReason', reason ?? '');
    else await this.redis.hdel(key, 'disabled', 'disabledReason');
    return this.get(uid, { fresh: true });
  }

  /**
   * Records that the user was active, with their email and whether their token carries the
   * admin role (so the admin's user list can show both without asking Firebase per user), at
   * most once a minute per process.
   */
  touch(uid: string, email: string | null, admin = false): Promise<void> {
    const now = Date.now();
    const last = this.touched.get(uid);
    if (last && now - last.at < TOUCH_MS) return last.write;
    const fields = ['lastActiveAt', new Date(now).toISOString(), 'admin', admin ? '1' : '0', ...(email ? ['email', email] : [])];
    const write = (async () => {
      await this.redis.hset(quotaKeys(this.prefix, uid).account, ...fields);
      await this.redis.zadd(this.activityIndex, now, uid);
    })();
    // A failed write is not retried before TOUCH_MS: activity is a hint, not a record.
    this.touched.set(uid, { at: now, write: write.catch(() => undefined) });
    if (this.touched.size > 10_000) this.touched.delete(this.touched.keys().next().value!);
    return write;
  }

  /** Mirrors a role change made through Firebase, so the user list shows it at once. */
  async setAdminMirror(uid: string, admin: boolean): Promise<void> {
    await this.redis.hset(quotaKeys(this.prefix, uid).account, 'admin', admin ? '1' : '0');
    this.cache.delete(uid);
  }

  /** What the admin's user list shows besides the account: email, role mirror, last activity. */
  async profile(uid: string): Promise<{ email: string | null; admin: boolean; lastActiveAt: string | null }> {
    const [email, admin, lastActiveAt] = await this.redis.hmget(quotaKeys(this.prefix, uid).account, 'email', 'admin', 'lastActiveAt');
    return { email: email ?? null, admin: admin === '1', lastActiveAt: lastActiveAt ?? null };
  }
}
