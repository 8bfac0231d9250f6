import type { Plan } from '@patchpad/shared';

/**
 * The plan of a user, as the quota module knows it. The gateway and GET /api/models only
 * depend on this function; until plans are stored, everyone is on 'free'.
 */
export type PlanOf = (uid: string) => Promise<Plan>;

export const everyoneFree: PlanOf = async () => 'free';
