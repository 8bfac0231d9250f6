import cors from 'cors';
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { AppError } from './errors';

/**
 * The API only ever answers JSON or event streams, so its CSP forbids everything; the
 * SPA's own CSP (with the preview origin in frame-src) is set where the SPA is served.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}

/** CORS for the configured SPA origins only; other origins get no CORS headers (and a 403 on preflight). */
export function corsFor(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin(origin, callback) {
      if (!origin || allowed.has(origin)) return callback(null, true);
      callback(new AppError(403, 'cors_origin', `Origin ${origin} is not allowed; add it to CORS_ORIGINS`));
    },
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
}
