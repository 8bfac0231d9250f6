import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import type { ApiErrorBody } from '@patchpad/shared';
import { StoreUnavailableError } from '../projects/store';

/**
 * The one error type routes and services throw. `expose` errors are shown to the client as
 * `{error: {code, message, details?, requestId}}` (apiErrorBodySchema); anything else is
 * logged with the request id and answered with a generic 500 that names only that id.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(message: string, details?: unknown) {
    return new AppError(400, 'bad_request', message, details);
  }
  static unauthorized(message: string) {
    return new AppError(401, 'unauthorized', message);
  }
  static forbidden(message: string) {
    return new AppError(403, 'forbidden', message);
  }
  static notFound(what: string) {
    return new AppError(404, 'not_found', `${what} was not found`);
  }
  static conflict(message: string, details?: unknown) {
    return new AppError(409, 'conflict', message, details);
  }
}

/** Turns zod issues into one readable sentence plus a list a client can show per field. */
export function validationError(error: z.ZodError, where: string): AppError {
  const issues = flatten(error.issues, []);
  const summary = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  return new AppError(400, 'invalid_request', `Invalid ${where}: ${summary}`, { issues });
}

/** zod nests the reason for a bad record key or union member; surface the innermost message. */
function flatten(issues: readonly z.core.$ZodIssue[], base: PropertyKey[]): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    const nested = 'issues' in issue && Array.isArray(issue.issues) ? (issue.issues as z.core.$ZodIssue[]) : [];
    if (issue.code === 'invalid_key' && nested.length > 0) return flatten(nested, path);
    return [{ path: path.map(String).join('.'), message: issue.message }];
  });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/**
 * Redis is down or unreachable. The API's command connections are fail-fast (connectRedis):
 * a command sent while disconnected, in flight when the connection drops, or unanswered past
 * the command timeout fails with one of these, so the request answers 503 instead of hanging
 * until Redis returns.
 */
export function isRedisUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  if (!e || typeof e.message !== 'string') return false;
  return e.name === 'MaxRetriesPerRequestError' || /enableOfflineQueue options is false|^Connection is closed\.?$|^Command timed out$/.test(e.message);
}

/** Failures of a dependency (Redis, the project store) as the AppError the client gets; logged here. */
function dependencyError(err: unknown, log: { warn(o: object, m: string): void; error(o: object, m: string): void } | undefined): AppError | null {
  if (isRedisUnavailable(err)) {
    log?.warn({ err: String(err) }, 'redis unavailable');
    const message = 'The task queue and task store (Redis) are not answering right now; try again in a moment';
    return new AppError(503, 'redis_unavailable', message, undefined, { 'Retry-After': '2' });
  }
  if (err instanceof StoreUnavailableError) {
    log?.error({ err: err.message }, 'project store failed');
    if (!err.retryable) {
      const message =
        'Project storage refused the request; nothing was saved or changed. An administrator should check the storage settings (see the API log).';
      return new AppError(502, 'storage_error', message);
    }
    const message = 'Project storage is not answering right now; nothing was saved or changed. Try again in a moment.';
    return new AppError(503, 'storage_unavailable', message, undefined, { 'Retry-After': '5' });
  }
  return null;
}

/** The status, headers and `{error}` body that answer a thrown error; logs what it hides. */
export function errorResponse(
  thrown: unknown,
  requestId: string,
  log: { warn(o: object, m: string): void; error(o: object, m: string): void } | undefined,
  headersSent = false,
): { status: number; headers?: Record<string, string>; body: ApiErrorBody } {
  const err = ((headersSent ? null : dependencyError(thrown, log)) ?? thrown) as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    type?: unknown;
    message?: unknown;
  } | null;
  if (err instanceof AppError) {
    return {
      status: err.status,
      ...(err.headers ? { headers: err.headers } : {}),
      body: { error: { code: err.code, message: err.message, details: err.details, requestId } },
    };
  }
  // body-parser and similar raise errors with a status and `expose`.
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
  if (status < 500 && err?.expose) {
    const message = err.type === 'entity.parse.failed' ? 'Request body is not valid JSON' : String(err.message);
    const code = err.type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
    return { status, body: { error: { code, message, requestId } } };
  }
  log?.error({ err }, 'unhandled error');
  return { status: 500, body: { error: { code: 'internal', message: `Internal error; quote request id ${requestId} when reporting it`, requestId } } };
}

export const errorHandler: ErrorRequestHandler = (thrown, req, res, _next) => {
  const { status, headers, body } = errorResponse(thrown, String(req.id ?? ''), req.log, res.headersSent);
  if (res.headersSent) return void res.end();
  if (headers) res.set(headers);
  res.status(status).json(body);
};
