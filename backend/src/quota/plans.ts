import type { Account, Plan, QuotaLimits } from '@patchpad/shared';
import type { BackendConfig } from '../config';

export type PlanTable = Record<Plan, QuotaLimits>;

/** Each plan's allowances, from the QUOTA_<PLAN>_* settings. */
export function planTable(config: BackendConfig): PlanTable {
  return {
    free: {
      tokensPerMonth: config.QUOTA_FREE_TOKENS_PER_MONTH,
      tasksPerDay: config.QUOTA_FREE_TASKS_PER_DAY,
      tasksInFlight: config.QUOTA_FREE_TASKS_IN_FLIGHT,
    },
    pro: { tokensPerMonth: config.QUOTA_PRO_TOKENS_PER_MONTH, tasksPerDay: config.QUOTA_PRO_TASKS_PER_DAY, tasksInFlight: config.QUOTA_PRO_TASKS_IN_FLIGHT },
    enterprise: {
      tokensPerMonth: config.QUOTA_ENTERPRISE_TOKENS_PER_MONTH,
      tasksPerDay: config.QUOTA_ENTERPRISE_TASKS_PER_DAY,
      tasksInFlight: config.QUOTA_ENTERPRISE_TASKS_IN_FLIGHT,
    },
  };
}

/** A user's allowances: their plan's, with whatever an admin overrode for them. */
export function effectiveLimits(account: Pick<Account, 'plan' | 'overrides'>, plans: PlanTable): QuotaLimits {
  return { ...plans[account.plan], ...account.overrides };
}
