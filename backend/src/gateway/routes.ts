import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler, type Response } from 'express';
import type { Logger } from '../log';
import { chatCompletionRequestSchema, formatSse, NO_MODEL_HELP } from '@patchpad/shared';
import { AppError } from '../http/errors';
import { bearerToken } from '../auth/middleware';
import { parseBody } from '../http/validate';
import type { ModelRegistry } from './registry';
import { UpstreamError, type ProviderEvent } from './providers/types';

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The gateway takes the worker's service credential only, never a browser's token. */
export function requireServiceToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const presented = bearerToken(req.get('authorization'));
    if (!presented || !constantTimeEqual(presented, token)) {
      return next(new AppError(401, 'invalid_api_key', 'The gateway needs the service credential: "Authorization: Bearer $GATEWAY_SERVICE_TOKEN"'));
    }
    next();
  };
}

/** OpenAI-compatible surface: /v1/models and /v1/chat/completions (streamed or not). */
export function gatewayRoutes(registry: ModelRegistry, timeoutMs: number): Router {
  const router = Router();

  router.get('/v1/models', (_req, res) => {
    res.json({ object: 'list', data: registry.models.map((m) => ({ id: m.id, object: 'model', owned_by: m.provider })) });
  });

  router.post('/v1/chat/completions', async (req, res) => {
    const body = parseBody(chatCompletionRequestSchema, req);
    if (registry.models.length === 0) throw new AppError(503, 'no_model_configured', NO_MODEL_HELP);
    const resolved = registry.resolve(body.model);
    if (!resolved) {
      throw new AppError(404, 'model_not_found', `Model "${body.model}" is not configured; available: ${registry.models.map((m) => m.id).join(', ')}`);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort(new Error('client went away')));
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]);
    const request = {
      model: resolved.entry.upstreamModel,
      messages: body.messages,
      ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
      ...(body.max_tokens !== undefined ? { maxTokens: body.max_tokens } : {}),
    };
    const id = `chatcmpl-${req.id}`;
    const events = resolved.provider.chat(request, signal);
    const log = req.log.child({ model: body.model, provider: resolved.entry.provider });
    try {
      if (body.stream) await streamAnswer(res, events, id, body.model);
      else res.json(await collectAnswer(events, id, body.model));
    } catch (err) {
      const failure = toGatewayError(err, signal, log);
      if (!res.headersSent) throw failure;
      // Mid-stream: the status line is gone, so the error travels as the last chunk.
      const error = failure instanceof AppError ? { code: failure.code, message: failure.message } : { code: 'internal', message: 'gateway failed mid-stream' };
      if (!(failure instanceof AppError)) log.error({ err: failure }, 'stream failed');
      res.end(formatSse({ data: JSON.stringify({ error }) }));
    }
  });

  return router;
}

async function streamAnswer(res: Response, events: AsyncIterable<ProviderEvent>, id: string, model: string) {
  const created = Math.floor(Date.now() / 1000);
  let started = false;
  for await (const event of events) {
    if (!started) {
      res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      started = true;
    }
    const chunk =
      event.type === 'text'
        ? { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: { content: event.text }, finish_reason: null }] }
        : {
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [],
            usage: { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens },
          };
    res.write(formatSse({ data: JSON.stringify(chunk) }));
  }
  if (!started) res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.write(formatSse({ data: '[DONE]' }));
  res.end();
}

async function collectAnswer(events: AsyncIterable<ProviderEvent>, id: string, model: string) {
  let text = '';
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  for await (const event of events) {
    if (event.type === 'text') text += event.text;
    else usage = { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens };
  }
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function toGatewayError(err: unknown, signal: AbortSignal, log: Logger): unknown {
  if (err instanceof UpstreamError) {
    log.warn({ status: err.status, msg: err.message }, 'upstream error');
    const status = err.status === 429 ? 429 : 502;
    return new AppError(status, 'upstream_error', err.message);
  }
  if (signal.aborted) return new AppError(504, 'upstream_timeout', 'The model provider did not answer in time');
  if (err instanceof TypeError) {
    log.warn({ err }, 'upstream unreachable');
    return new AppError(502, 'upstream_unreachable', `Could not reach the model provider: ${(err.cause as Error | undefined)?.message ?? err.message}`);
  }
  return err;
}
