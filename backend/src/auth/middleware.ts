import type { RequestHandler } from 'express';
import { AppError } from '../http/errors';
import type { UnauthenticatedLimiter } from '../http/ip-limits';
import type { TokenVerifier } from './verifier';

/** `Authorization: Bearer <token>` → the token, or null. One parser for user and service tokens. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? null;
}

/**
 * Requires `Authorization: Bearer <Firebase ID token>` and sets `req.user`. Runs before any
 * body is parsed, so a request without a valid token costs a header check, not a JSON parse of
 * megabytes, and its connection is closed rather than drained. Failures are counted per IP;
 * past the limit they get 429 instead of 401. A valid token is never throttled here.
 */
export function requireUser(verifier: TokenVerifier, limiter: UnauthenticatedLimiter): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    // Built only on failure: an Error captures its stack, and this runs on every request.
    let failure: string;
    if (token) {
      try {
        req.user = await verifier.verify(token);
        return next();
      } catch (err) {
        req.log.info({ reason: (err as { code?: string }).code ?? String(err) }, 'token rejected');
        failure = 'Your sign-in token is invalid or expired; sign in again';
      }
    } else failure = 'Sign in first: send "Authorization: Bearer <Firebase ID token>"';
    res.set('Connection', 'close');
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    try {
      await limiter.hit(ip);
    } catch (err) {
      if (err instanceof AppError) return next(err);
      req.log.warn({ err }, 'could not count a failed sign-in');
    }
    next(AppError.unauthorized(failure));
  };
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.user?.admin) return next(AppError.forbidden('This needs the admin role'));
  next();
};
