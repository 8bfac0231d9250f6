import { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { formatSse, createTaskBodySchema, taskDecisionBodySchema, TERMINAL_STATUSES } from '@patchpad/shared';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { parseBody, parseParam } from '../http/validate';
import { toView, type TaskService } from './service';
import type { TaskStore } from './store';

const taskIdSchema = z.string().uuid('a task id is a UUID');
const idempotencyKeySchema = z.string().regex(/^[\w.:-]{8,128}$/, 'Idempotency-Key must be 8-128 letters, digits or _.:-');
const streamIdSchema = z.string().regex(/^\d+-\d+$/, 'Last-Event-ID must be a stream id like 1700000000000-0');

export type TaskRouteDeps = {
  service: TaskService;
  store: TaskStore;
  newReader: () => Redis;
  heartbeatMs?: number;
  /** When it aborts, open event streams end; clients reconnect (to another instance) with Last-Event-ID. */
  shutdown?: AbortSignal;
};

export function taskRoutes(deps: TaskRouteDeps): Router {
  const router = Router();
  const user = (req: Request) => req.user!;

  router.post('/', async (req, res) => {
    const body = parseBody(createTaskBodySchema, req);
    const rawKey = req.get('idempotency-key');
    const idempotencyKey = rawKey === undefined ? undefined : parseParam(idempotencyKeySchema, rawKey, 'Idempotency-Key');
    const { task, created } = await deps.service.create(user(req), body, { idempotencyKey, requestId: req.id });
    res
      .status(created ? 202 : 200)
      .location(`/api/agent/tasks/${task.id}`)
      .json({ task });
  });

  router.get('/', async (req, res) => {
    const limit = parseParam(z.coerce.number().int().min(1).max(100).default(20), req.query.limit, 'limit');
    res.json({ tasks: await deps.service.list(user(req), limit) });
  });

  router.get('/:id', async (req, res) => {
    const id = parseParam(taskIdSchema, req.params.id, 'task id');
    const record = await deps.service.get(user(req), id);
    // The owner may fetch their own input files back (e.g. to re-run); off by default to keep polls small.
    res.json({ task: req.query.include === 'input' ? record : toView(record) });
  });

  router.post('/:id/cancel', async (req, res) => {
    const id = parseParam(taskIdSchema, req.params.id, 'task id');
    res.json({ task: await deps.service.cancel(user(req), id, req.id) });
  });

  router.post('/:id/decision', async (req, res) => {
    const id = parseParam(taskIdSchema, req.params.id, 'task id');
    res.json({ task: await deps.service.decide(user(req), id, parseBody(taskDecisionBodySchema, req), req.id) });
  });

  router.get('/:id/events', async (req, res) => {
    const id = parseParam(taskIdSchema, req.params.id, 'task id');
    const lastId = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
    const after = lastId === undefined ? '0' : parseParam(streamIdSchema, lastId, 'Last-Event-ID');
    await deps.service.get(user(req), id); // 404 for tasks that are not this user's
    await streamEvents(req, res, deps, id, after);
  });

  return router;
}

/**
 * Streams the task's events as SSE: first everything after `after` (so a reconnect with
 * Last-Event-ID resumes exactly), then new ones as Redis delivers them, until a terminal
 * status event, the client leaves, or the server shuts down (the client then resumes with
 * Last-Event-ID, on this instance or another). Blocking reads need their own connection.
 */
async function streamEvents(req: Request, res: Response, deps: TaskRouteDeps, taskId: string, after: string): Promise<void> {
  if (deps.shutdown?.aborted)
    throw new AppError(503, 'shutting_down', 'This server is shutting down; reconnect in a moment', undefined, { 'Retry-After': '1' });
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const reader = deps.newReader();
  let closed = false;
  const end = () => {
    closed = true;
    reader.disconnect();
  };
  req.on('close', end);
  deps.shutdown?.addEventListener('abort', end, { once: true });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), deps.heartbeatMs ?? 15_000);
  let cursor = after;
  try {
    while (!closed) {
      const events = await deps.store.readEvents(reader, req.user!.uid, taskId, cursor, 10_000);
      for (const { id, event } of events) {
        res.write(formatSse({ id, event: event.type, data: JSON.stringify(event) }));
        cursor = id;
        if (event.type === 'status' && TERMINAL_STATUSES.includes(event.status)) closed = true;
      }
    }
  } catch (err) {
    if (!closed) {
      req.log.warn({ err }, 'event stream failed');
      res.write(
        formatSse({
          event: 'error',
          data: JSON.stringify({ type: 'error', error: { code: 'stream_failed', message: 'Event stream interrupted; reconnect to resume' } }),
        }),
      );
    }
  } finally {
    deps.shutdown?.removeEventListener('abort', end);
    clearInterval(heartbeat);
    reader.disconnect();
    res.end();
  }
}
