import { z } from 'zod';

/** What a user pays for; an admin sets it per user. */
export const planSchema = z.enum(['free', 'pro', 'enterprise']);
export type Plan = z.infer<typeof planSchema>;
