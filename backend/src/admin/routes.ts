import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  adminAuditExportQuerySchema,
  adminAuditQuerySchema,
  adminTaskQuerySchema,
  adminUsageQuerySchema,
  adminUserPatchSchema,
  adminUserQuerySchema,
  formatSse,
  type AuditEntry,
} from '@patchpad/shared';
import { requireAdmin } from '../auth/middleware';
import { parseBody, parseParam } from '../http/validate';
import type { AuditLog } from '../audit/log';
import type { AuditChain } from '../audit/chain-store';
import type { AuditQuery } from '../audit/query';
import type { AdminUsers } from './users';
import type { AdminTasks } from './tasks';
import { adminHealth, type AdminHealthDeps } from './health';
import { adminUsage, type UsageReader } from './usage';
import type { AccountStore } from '../quota/accounts';
import type { RedisClient } from '@patchpad/shared/server';

export type AdminRouteDeps = {
  redis: RedisClient;
  prefix: string;
  users: AdminUsers;
  tasks: AdminTasks;
  usage: UsageReader;
  accounts: AccountStore;
  audit: AuditLog;
  auditChain: AuditChain;
  auditQuery: AuditQuery;
  health: AdminHealthDeps;
  shutdown?: AbortSignal;
  tailPollMs?: number;
};

const uidSchema = z.string().min(1).max(128);
const taskIdSchema = z.string().uuid('a task id is a UUID');
const streamIdSchema = z.string().regex(/^\d+-\d+$/, 'Last-Event-ID must be a stream id like 1700000000000-0');

/** Admin routes: the admin role only (403 otherwise), thin over the admin services. */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  router.use(requireAdmin);

  router.get('/users', async (req, res) => {
    res.json(await deps.users.list(parseParam(adminUserQuerySchema, req.query, 'query')));
  });
  router.get('/users/:uid', async (req, res) => {
    res.json({ user: await deps.users.get(parseParam(uidSchema, req.params.uid, 'uid')) });
  });
  router.patch('/users/:uid', async (req, res) => {
    const uid = parseParam(uidSchema, req.params.uid, 'uid');
    res.json({ user: await deps.users.patch(req.user!, uid, parseBody(adminUserPatchSchema, req), req.id) });
  });
  router.post('/users/:uid/reset-usage', async (req, res) => {
    res.json({ user: await deps.users.resetUsage(req.user!, parseParam(uidSchema, req.params.uid, 'uid'), req.id) });
  });

  router.get('/usage', async (req, res) => {
    const { range } = parseParam(adminUsageQuerySchema, req.query, 'query');
    res.json(await adminUsage(deps, range));
  });

  router.get('/audit', async (req, res) => {
    const { cursor, limit, ...filter } = parseParam(adminAuditQuerySchema, req.query, 'query');
    res.json(await deps.auditQuery.page(filter, limit, cursor));
  });
  router.get('/audit/verify', async (req, res) => {
    const result = await deps.auditChain.verify();
    await deps.audit.append({ action: 'admin.audit.verify', uid: req.user!.uid, requestId: req.id, outcome: 'ok', details: { intact: result.ok } });
    res.json(result);
  });
  router.get('/audit/export', async (req, res) => {
    const { format, ...filter } = parseParam(adminAuditExportQuerySchema, req.query, 'query');
    await deps.audit.append({ action: 'admin.audit.export', uid: req.user!.uid, requestId: req.id, details: { format, filter } });
    await exportAudit(res, deps.auditQuery.all(filter), format);
  });
  router.get('/audit/tail', async (req, res) => {
    const raw = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
    const after = raw === undefined ? await deps.auditQuery.newestId() : parseParam(streamIdSchema, raw, 'Last-Event-ID');
    await tailAudit(req, res, deps, after);
  });

  router.get('/health', async (_req, res) => {
    res.json(await adminHealth(deps.health));
  });

  router.get('/tasks', async (req, res) => {
    const { status, limit, cursor } = parseParam(adminTaskQuerySchema, req.query, 'query');
    res.json(await deps.tasks.page(status, limit, cursor));
  });
  router.get('/tasks/:uid/:id', async (req, res) => {
    res.json({ task: await deps.tasks.detail(parseParam(uidSchema, req.params.uid, 'uid'), parseParam(taskIdSchema, req.params.id, 'task id')) });
  });

  return router;
}

const CSV_COLUMNS = ['id', 'seq', 'at', 'action', 'uid', 'target', 'outcome', 'requestId', 'details'] as const;
const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Streams entries as they are read: memory stays flat however many match. */
async function exportAudit(res: Response, entries: AsyncGenerator<AuditEntry>, format: 'csv' | 'json'): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.status(200).set({
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="patchpad-audit-${stamp}.${format}"`,
    'Cache-Control': 'no-store',
  });
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await once(res, 'drain');
  };
  await write(format === 'csv' ? `${CSV_COLUMNS.join(',')}\n` : '[');
  let first = true;
  for await (const e of entries) {
    if (res.destroyed) return;
    if (format === 'csv') await write(`${CSV_COLUMNS.map((c) => csvCell((e as Record<string, unknown>)[c])).join(',')}\n`);
    else await write(`${first ? '' : ','}\n${JSON.stringify(e)}`);
    first = false;
  }
  res.end(format === 'csv' ? '' : '\n]\n');
}

/** Server-sent events of entries as they are chained, until the admin leaves or the server stops. */
async function tailAudit(req: Request, res: Response, deps: AdminRouteDeps, after: string): Promise<void> {
  res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  let closed = false;
  const stop = () => (closed = true);
  req.on('close', stop);
  deps.shutdown?.addEventListener('abort', stop, { once: true });
  let cursor = after;
  let quiet = 0;
  const expiresAt = req.user!.expiresAt;
  try {
    while (!closed) {
      // A revoked admin must not keep reading: the stream lasts as long as the token that opened it.
      if (expiresAt !== undefined && Date.now() >= expiresAt) {
        res.write(
          formatSse({
            event: 'auth_expired',
            data: JSON.stringify({ type: 'auth_expired', message: 'Your sign-in token expired; reconnect with a fresh one' }),
          }),
        );
        break;
      }
      const entries = await deps.auditQuery.after(cursor);
      for (const e of entries) res.write(formatSse({ id: e.id, event: 'entry', data: JSON.stringify(e) }));
      if (entries.length > 0) cursor = entries[entries.length - 1]!.id;
      else if (++quiet % 30 === 0) res.write(': keep-alive\n\n');
      if (entries.length < 200) await new Promise((r) => setTimeout(r, deps.tailPollMs ?? 500));
    }
  } finally {
    deps.shutdown?.removeEventListener('abort', stop);
    res.end();
  }
}
