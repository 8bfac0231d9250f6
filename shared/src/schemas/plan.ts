import { z } from 'zod';

/** Subscription plans, cheapest first. Each plan's allowances come from config (quota.ts, QUOTA_<PLAN>_*). */
export const planSchema = z.enum(['free', 'pro', 'enterprise']);
export type Plan = z.infer<typeof planSchema>;

const RANK: Record<Plan, number> = { free: 0, pro: 1, enterprise: 2 };

/** True when a user on `plan` may use something that requires `required`. */
export function planAllows(plan: Plan, required: Plan): boolean {
  return RANK[plan] >= RANK[required];
}
