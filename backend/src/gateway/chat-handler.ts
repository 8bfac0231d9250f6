import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatCompletionRequestSchema, formatSse, GATEWAY_TASK_HEADER, gatewayTaskIdSchema } from '@patchpad/shared';
import { AppError, errorResponse, validationError } from '../http/errors';
import { readJsonBody } from '../http/json-body';
import type { Logger } from '../log';
import type { CredentialRateLimit } from './rate-limit';
import { CallAbort } from './call-abort';
import type { CallMeta, GatewayCall, GatewayService } from './service';
import { UpstreamError } from './providers/types';

export type ChatDeps = { service: GatewayService; rateLimit: CredentialRateLimit; timeoutMs: number };
/** A request that went through request context (id, logger) and the credential check. */
export type GatewayRequest = IncomingMessage & { id: string; log: Logger };

/**
 * Who a call is for, and its logger: a child logger only when something is logged (most calls
 * log one request line, no more). A class, not an object literal with a getter: a literal's
 * getter is a new function each time, which gives every call's object a hidden class of its own.
 */
class ChatMeta implements CallMeta {
  private child: Logger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly model: string,
    readonly uid: string | null,
    readonly taskId: string | null,
  ) {}

  get log(): Logger {
    return (this.child ??= this.parent.child({ model: this.model, uid: this.uid ?? undefined, taskId: this.taskId }));
  }
}

class ClientGone extends Error {}
class CallTimeout extends Error {}
/** Prompts carry whole project files. */
const BODY_LIMIT = 8 * 1024 * 1024;
const SSE_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' };

/**
 * POST /gateway/v1/chat/completions on plain node:http objects (Express passes its own, which
 * extend them): the gateway's own server calls it without a framework on the hot path, the
 * API mounts it in its router. Never throws: every failure is answered here.
 */
export async function handleChat(req: GatewayRequest, res: ServerResponse, credential: string, deps: ChatDeps): Promise<void> {
  // One CallAbort and one timer per call (AbortSignal.any/timeout kept every call's signal
  // alive for the whole timeout; an AbortController costs an EventTarget per call).
  const abort = new CallAbort();
  const signal = abort.signal;
  const timer = setTimeout(() => abort.abort(new CallTimeout()), deps.timeoutMs);
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) abort.abort(new ClientGone('client went away'));
  });
  let call: GatewayCall | null = null;
  try {
    await deps.rateLimit.hit(credential);
    const parsed = chatCompletionRequestSchema.safeParse(await readJsonBody(req, BODY_LIMIT));
    if (!parsed.success) throw validationError(parsed.error, 'request body');
    const body = parsed.data;
    const rawTask = req.headers[GATEWAY_TASK_HEADER];
    const task = rawTask === undefined ? null : gatewayTaskIdSchema.safeParse(rawTask);
    if (task && !task.success) throw validationError(task.error, `${GATEWAY_TASK_HEADER} header`);
    const taskId = task?.data ?? null;
    call = await deps.service.start(body, new ChatMeta(req.log, body.model, body.user ?? null, taskId), signal);
    res.setHeader('X-Patchpad-Model', call.entry.id);
    res.setHeader('X-Patchpad-Provider', call.entry.provider);
    const id = `chatcmpl-${req.id}`;
    if (body.stream) await streamAnswer(res, call, id);
    else sendJson(res, 200, await collectAnswer(call, id));
    call.finish('ok');
  } catch (thrown) {
    const gone = signal.reason instanceof ClientGone;
    const failure =
      call && thrown instanceof UpstreamError
        ? new AppError(502, 'upstream_error', `Model "${call.entry.id}" (${call.entry.provider}) broke off its answer: ${thrown.message}`)
        : signal.aborted && !(thrown instanceof AppError) && !gone
          ? new AppError(504, 'upstream_timeout', 'The model provider did not finish in time (PROVIDER_TIMEOUT_MS)')
          : thrown;
    call?.finish(gone ? 'client_aborted' : 'error', failure instanceof AppError ? failure.code : 'internal');
    if (gone || res.writableEnded) return;
    const { status, headers, body } = errorResponse(failure, req.id, req.log, res.headersSent);
    // Mid-stream the status line is gone, so the error travels as the stream's last chunk.
    if (res.headersSent) return void res.end(formatSse({ data: JSON.stringify({ error: { code: body.error.code, message: body.error.message } }) }));
    sendJson(res, status, body, headers);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function streamAnswer(res: ServerResponse, call: GatewayCall, id: string): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  // Built by hand: this runs once per token, and a template is several times cheaper than JSON.stringify of a nested object.
  const head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(call.entry.id)},`;
  const usage = (u: { promptTokens: number; completionTokens: number }) =>
    `${head}"choices":[],"usage":{"prompt_tokens":${u.promptTokens},"completion_tokens":${u.completionTokens}}}\n\n`;
  // Chunks that arrive together leave together, as one socket write on the next tick; nothing
  // waits for chunks still to come.
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '' || res.writableEnded) return;
    res.write(pending);
    pending = '';
  };
  let started = false;
  for (let batch = await call.next(); batch; batch = await call.next()) {
    if (!started) {
      res.writeHead(200, SSE_HEADERS);
      started = true;
    }
    for (const event of batch) {
      pending +=
        event.type === 'text' ? `${head}"choices":[{"index":0,"delta":{"content":${JSON.stringify(event.text)}},"finish_reason":null}]}\n\n` : usage(event);
    }
    if (!scheduled) {
      scheduled = true;
      process.nextTick(flush);
    }
  }
  if (!started) res.writeHead(200, SSE_HEADERS);
  const counted = await call.missingUsage();
  if (counted) pending += usage(counted);
  res.end(`${pending}data: [DONE]\n\n`);
  pending = '';
}

async function collectAnswer(call: GatewayCall, id: string) {
  let text = '';
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  for (let batch = await call.next(); batch; batch = await call.next()) {
    for (const event of batch) {
      if (event.type === 'text') text += event.text;
      else usage = { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens };
    }
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
