import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../log';

/** The signed-in user of a request; `expiresAt` (ms) is when their ID token stops being valid. */
export type AuthUser = { uid: string; email: string | null; admin: boolean; expiresAt?: number };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      user?: AuthUser;
    }
  }
}

/** Gives each request an id (a sane incoming X-Request-Id is kept) and a child logger. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    attachRequestContext(req, res, logger);
    next();
  };
}

const BASE_LOGGER = Symbol('baseLogger');
const CHILD_LOGGER = Symbol('childLogger');
type LoggedRequest = { id: string; [BASE_LOGGER]: Logger; [CHILD_LOGGER]?: Logger };

/**
 * `req.log`: the child logger, made on first use (most requests log only their one line).
 * One getter function for every request, not a closure per request: V8 shares an object's
 * hidden class only while its accessors are the same functions, so a getter made per request
 * gave every request object a shape of its own, and the HTTP code that reads them went
 * megamorphic. In a prototype of the gateway's call path that cost ~25% of its CPU.
 */
function requestLog(this: LoggedRequest): Logger {
  return (this[CHILD_LOGGER] ??= this[BASE_LOGGER].child({ requestId: this.id }));
}

/** The same for a plain node:http request (the gateway's own server): id, logger, one log line when done. */
export function attachRequestContext(
  req: IncomingMessage & Partial<Pick<Request, 'id' | 'log' | 'user' | 'originalUrl'>>,
  res: ServerResponse,
  logger: Logger,
): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  req.id = id;
  (req as unknown as LoggedRequest)[BASE_LOGGER] = logger;
  Object.defineProperty(req, 'log', { configurable: true, enumerable: true, get: requestLog });
  res.setHeader('X-Request-Id', id);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    logger.info({ requestId: id, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10, uid: req.user?.uid }, 'request');
  });
}
