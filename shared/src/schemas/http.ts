import { z } from 'zod';

/**
 * The body of every error the API and the gateway answer (4xx and 5xx alike): a stable `code`
 * a client can branch on, a `message` a person can act on, and the request's id to quote to an
 * administrator. `details` depends on the code (a 429's names the limit: limitRefusalSchema;
 * a 400's lists the fields that are wrong).
 */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
