import type { RequestHandler } from 'express';
import { AppError } from '../http/errors';
import type { TokenVerifier } from './verifier';

/** Requires `Authorization: Bearer <Firebase ID token>` and sets `req.user`. */
export function requireUser(verifier: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return next(AppError.unauthorized('Sign in first: send "Authorization: Bearer <Firebase ID token>"'));
    }
    try {
      req.user = await verifier.verify(match[1]);
      next();
    } catch (err) {
      req.log.info({ reason: (err as { code?: string }).code ?? String(err) }, 'token rejected');
      next(AppError.unauthorized('Your sign-in token is invalid or expired; sign in again'));
    }
  };
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.user?.admin) return next(AppError.forbidden('This needs the admin role'));
  next();
};
