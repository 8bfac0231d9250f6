import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { formatSse, createTaskBodySchema, taskDecisionBodySchema, TERMINAL_STATUSES, type TaskStatus, type TaskView } from '@patchpad/shared';
import type { StoredEvent } from '@patchpad/shared/server';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { parseBody, parseParam } from '../http/validate';
import type { TaskService } from './service';
import type { TaskEventHub } from './event-hub';
import type { StreamSlots } from './stream-slots';
import type { DeliveryLag } from './delivery-lag';

const taskIdSchema = z.string().uuid('a task id is a UUID');
const idempotencyKeySchema = z.string().regex(/^[\w.:-]{8,128}$/, 'Idempotency-Key must be 8-128 letters, digits or _.:-');
const streamIdSchema = z.string().regex(/^\d+-\d+$/, 'Last-Event-ID must be a stream id like 1700000000000-0');

export type TaskRouteDeps = {
  service: TaskService;
  hub: TaskEventHub;
  slots: StreamSlots;
  heartbeatMs?: number;
  /** When it aborts, open event streams end; clients reconnect (to another instance) with Last-Event-ID. */
  shutdown?: AbortSignal;
  /** Where live events' time from append to this stream is kept, for /health/detailed. */
  delivery: DeliveryLag;
};

export function taskRoutes(deps: TaskRouteDeps): Router {
  const router = Router();
  const user = (req: Request) => req.user!;

  router.post('/', async (req, res) => {
    const body = parseBody(createTaskBodySchema, req);
    const rawKey = req.get('idempotency-key');
    const idempotencyKey = rawKey === undefined ? undefined : parseParam(idempotencyKeySchema, rawKey, 'Idempotency-Key');
    const { task, created } = await deps.service.create(user(req), req.account!, body, { ...(idempotencyKey ? { idempotencyKey } : {}), requestId: req.id });
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
    // The owner may fetch their own input files back (e.g. to re-run); off by default to keep polls small.
    const task = req.query.include === 'input' ? await deps.service.getWithInput(user(req), id) : await deps.service.get(user(req), id);
    res.json({ task });
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
    const requested = lastId === undefined ? '0' : parseParam(streamIdSchema, lastId, 'Last-Event-ID');
    const task = await deps.service.get(user(req), id); // 404 for tasks that are not this user's
    await streamEvents(req, res, deps, task, await deps.service.resumePoint(task, requested));
  });

  return router;
}

const isTerminal = (status: TaskStatus) => TERMINAL_STATUSES.includes(status);

/**
 * Streams the task's events as SSE: everything after `after` (so a reconnect with
 * Last-Event-ID resumes exactly), then new ones as the hub delivers them, until a terminal
 * status, the client leaves, the user's token expires (an `auth_expired` event: reconnect with a
 * fresh token) or the server shuts down (the client resumes with Last-Event-ID, here or on
 * another instance). A task that has already ended always ends its stream, even when
 * Last-Event-ID points past the last event: the final status is sent again, without an id.
 */
async function streamEvents(req: Request, res: Response, deps: TaskRouteDeps, task: TaskView, after: string): Promise<void> {
  if (deps.shutdown?.aborted)
    throw new AppError(503, 'shutting_down', 'This server is shutting down; reconnect in a moment', undefined, { 'Retry-After': '1' });
  const uid = req.user!.uid;
  const streamId = randomUUID();
  const slot = await deps.slots.open(uid, streamId);
  if (!slot.opened) {
    throw new AppError(
      429,
      'too_many_streams',
      `You have ${slot.open} task event streams open; at most ${deps.slots.maxPerUser} at once. Close a tab or wait for a task to finish.`,
      { limit: 'streams_open', used: slot.open, max: deps.slots.maxPerUser, retryAfterSeconds: 5 },
      { 'Retry-After': '5' },
    );
  }
  // The headers leave with the first events (read at once below) rather than in a write of
  // their own: one packet, and one wake-up of the client, fewer per stream.
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });

  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let ended = false;
  // Events stored before the stream opened are replays, not deliveries: their lag is the client's.
  let live = false;
  const deliver = (events: StoredEvent[]) => {
    if (ended) return;
    // One write for the batch: the events of a read reach the client together.
    res.cork();
    try {
      for (const { id, event, data } of events) {
        res.write(formatSse({ id, event: event.type, data }));
        if (live) deps.delivery.record(id);
        if (event.type === 'status' && isTerminal(event.status)) {
          ended = true;
          return finish();
        }
      }
    } finally {
      res.uncork();
    }
  };
  const watch = deps.hub.watch(uid, task.id, after, deliver);
  req.on('close', finish);
  deps.shutdown?.addEventListener('abort', finish, { once: true });
  const heartbeat = setInterval(() => {
    res.write(': keep-alive\n\n');
    deps.slots.renew(uid, streamId).catch((err: unknown) => req.log.debug({ err }, 'stream slot renewal failed'));
  }, deps.heartbeatMs ?? 15_000);
  const expiresAt = req.user!.expiresAt;
  const expiry =
    expiresAt === undefined
      ? undefined
      : setTimeout(
          () => {
            res.write(
              formatSse({
                event: 'auth_expired',
                data: JSON.stringify({ type: 'auth_expired', message: 'Your sign-in token expired; reconnect with a fresh one' }),
              }),
            );
            finish();
          },
          Math.max(0, expiresAt - Date.now()),
        );
  try {
    await watch.caughtUp;
    // A first read that found nothing new (or failed) still opens the stream now.
    if (!res.headersSent) res.flushHeaders();
    live = true;
    if (!ended && isTerminal(task.status)) {
      // Nothing after the client's cursor says so (it was past the end): say it once more.
      res.write(formatSse({ event: 'status', data: JSON.stringify({ type: 'status', status: task.status }) }));
      finish();
    }
    await finished;
  } finally {
    ended = true;
    watch.unsubscribe();
    deps.shutdown?.removeEventListener('abort', finish);
    clearInterval(heartbeat);
    clearTimeout(expiry);
    res.end();
    await deps.slots.close(uid, streamId).catch((err: unknown) => req.log.debug({ err }, 'stream slot left to expire'));
  }
}
