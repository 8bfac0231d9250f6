import type { Request } from 'express';
import type { z } from 'zod';
import { validationError } from './errors';

/** Parses `req.body` with a shared schema; a failure becomes a 400 naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) throw validationError(result.error, 'request body');
  return result.data;
}

export function parseParam<S extends z.ZodType>(schema: S, value: unknown, name: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, `${name} parameter`);
  return result.data;
}
