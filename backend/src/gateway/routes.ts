import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler, type Response } from 'express';
import { chatCompletionRequestSchema, formatSse, GATEWAY_TASK_HEADER, gatewayTaskIdSchema, type GatewayModel } from '@patchpad/shared';
import { AppError } from '../http/errors';
import { parseBody, parseParam } from '../http/validate';
import type { ModelCatalog } from '../models/catalog';
import type { CredentialRateLimit } from './rate-limit';
import type { GatewayCall, GatewayService } from './service';
import { UpstreamError } from './providers/types';

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The gateway takes the worker's service credential only, never a browser's token. */
export function requireServiceToken(token: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1] || !constantTimeEqual(match[1], token)) {
      return next(new AppError(401, 'invalid_api_key', 'The gateway needs the service credential: "Authorization: Bearer $GATEWAY_SERVICE_TOKEN"'));
    }
    res.locals.credential = match[1];
    next();
  };
}

class ClientGone extends Error {}
class CallTimeout extends Error {}
const SSE_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' };

/** OpenAI-compatible surface: /v1/models and /v1/chat/completions (streamed or not). */
export function gatewayRoutes(deps: { catalog: ModelCatalog; service: GatewayService; rateLimit: CredentialRateLimit; timeoutMs: number }): Router {
  const router = Router();

  router.get('/v1/models', (_req, res) => {
    const data: GatewayModel[] = deps.catalog.active().map((m) => ({
      id: m.id,
      object: 'model',
      owned_by: m.provider,
      context_window: m.contextWindow,
      max_output_tokens: m.maxOutputTokens,
    }));
    res.json({ object: 'list', data });
  });

  router.post('/v1/chat/completions', async (req, res) => {
    await deps.rateLimit.hit(res.locals.credential as string);
    const body = parseBody(chatCompletionRequestSchema, req);
    const rawTask = req.get(GATEWAY_TASK_HEADER);
    const taskId = rawTask === undefined ? null : parseParam(gatewayTaskIdSchema, rawTask, `${GATEWAY_TASK_HEADER} header`);
    const log = req.log.child({ model: body.model, uid: body.user, taskId });
    // One controller and one timer per call (AbortSignal.any/timeout keep every call's signal
    // alive for the whole timeout, which under load is memory and GC time).
    const abort = new AbortController();
    const signal = abort.signal;
    const timer = setTimeout(() => abort.abort(new CallTimeout()), deps.timeoutMs);
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) abort.abort(new ClientGone('client went away'));
    });
    let call: GatewayCall;
    try {
      call = await deps.service.start(body, { uid: body.user ?? null, taskId, log }, signal);
    } catch (err) {
      if (signal.aborted && !(err instanceof AppError)) throw timeoutOrGone(signal);
      throw err;
    }
    res.set({ 'X-Patchpad-Model': call.entry.id, 'X-Patchpad-Provider': call.entry.provider });
    const id = `chatcmpl-${req.id}`;
    try {
      if (body.stream) await streamAnswer(res, call, id);
      else res.json(await collectAnswer(call, id));
      call.finish('ok');
    } catch (err) {
      const gone = signal.reason instanceof ClientGone;
      const failure =
        err instanceof UpstreamError ? new AppError(502, 'upstream_error', streamFailure(call, err)) : signal.aborted ? timeoutOrGone(signal) : err;
      call.finish(gone ? 'client_aborted' : 'error', failure instanceof AppError ? failure.code : 'internal');
      if (gone) return;
      if (!res.headersSent) throw failure;
      // Mid-stream: the status line is gone, so the error travels as the last chunk.
      const error = failure instanceof AppError ? { code: failure.code, message: failure.message } : { code: 'internal', message: 'gateway failed mid-stream' };
      if (!(failure instanceof AppError)) log.error({ err: failure }, 'stream failed');
      res.end(formatSse({ data: JSON.stringify({ error }) }));
    }
  });

  return router;
}

function streamFailure(call: GatewayCall, err: UpstreamError): string {
  return `Model "${call.entry.id}" (${call.entry.provider}) broke off its answer: ${err.message}`;
}

function timeoutOrGone(signal: AbortSignal): unknown {
  if (signal.reason instanceof ClientGone) return signal.reason;
  return new AppError(504, 'upstream_timeout', 'The model provider did not finish in time (PROVIDER_TIMEOUT_MS)');
}

async function streamAnswer(res: Response, call: GatewayCall, id: string): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  const model = call.entry.id;
  // Built by hand: this runs once per token, and a template is several times cheaper than JSON.stringify of a nested object.
  const head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},`;
  let started = false;
  let corked = false;
  // Chunks that arrive together leave together: one socket write per tick, not one per chunk
  // (uncorked on the next tick, so nothing waits for later chunks).
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  for await (const event of call.events) {
    if (!started) {
      res.status(200).set(SSE_HEADERS);
      started = true;
    }
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    if (event.type === 'text') res.write(`${head}"choices":[{"index":0,"delta":{"content":${JSON.stringify(event.text)}},"finish_reason":null}]}\n\n`);
    else res.write(`${head}"choices":[],"usage":{"prompt_tokens":${event.promptTokens},"completion_tokens":${event.completionTokens}}}\n\n`);
  }
  if (!started) res.status(200).set(SSE_HEADERS);
  const counted = await call.missingUsage();
  if (counted) res.write(`${head}"choices":[],"usage":{"prompt_tokens":${counted.promptTokens},"completion_tokens":${counted.completionTokens}}}\n\n`);
  res.end('data: [DONE]\n\n');
}

async function collectAnswer(call: GatewayCall, id: string) {
  let text = '';
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  for await (const event of call.events) {
    if (event.type === 'text') text += event.text;
    else usage = { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens };
  }
  const counted = await call.missingUsage();
  if (counted) usage = { prompt_tokens: counted.promptTokens, completion_tokens: counted.completionTokens };
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: call.entry.id,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}
