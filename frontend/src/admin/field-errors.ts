import type { z } from 'zod';
import { ApiError } from '../api/client';

/** One message per form field, keyed by the field's name. */
export type FieldErrors = Record<string, string>;

/** `overrides.tasksPerDay` → `tasksPerDay`, `fallbacks.0` → `fallbacks`: the form field an issue is about. */
export function fieldOf(path: string | readonly PropertyKey[]): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => p !== '' && !/^\d+$/.test(p));
  return parts[parts.length - 1] ?? '';
}

/** The first issue per field; issues about no field in particular go under ''. */
export function issuesToFields(issues: readonly { path: string | readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    out[field] ??= issue.message;
  }
  return out;
}

export const zodFieldErrors = (error: z.ZodError) => issuesToFields(error.issues);

/** The per-field issues of a 400 (`error.details.issues`), or null when the error has none. */
export function serverFieldErrors(err: unknown): FieldErrors | null {
  if (!(err instanceof ApiError) || err.status !== 400) return null;
  const issues = (err.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const valid = issues.filter(
    (i): i is { path: string; message: string } => typeof i === 'object' && i !== null && typeof i.path === 'string' && typeof i.message === 'string',
  );
  return valid.length > 0 ? issuesToFields(valid) : null;
}
