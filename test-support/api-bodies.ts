import { apiErrorBodySchema, type ApiErrorBody } from '@patchpad/shared';
import type { z } from 'zod';

/**
 * Response bodies read through the contract's own schemas: a test that reads a body this way
 * also checks that the server answered in the shape its clients parse.
 */

/** The error a response carries (every 4xx/5xx of the API and the gateway). */
export async function errorOf(res: Response): Promise<ApiErrorBody['error']> {
  return apiErrorBodySchema.parse(await res.json()).error;
}

/** A response body, parsed by its schema from `@patchpad/shared`. */
export async function bodyOf<S extends z.ZodType>(res: Response, schema: S): Promise<z.output<S>> {
  return schema.parse(await res.json());
}
