import { chatCompletionChunkSchema, GATEWAY_TASK_HEADER, gatewayModelSchema, readSse, type ChatMessage, type GatewayModel } from '@patchpad/shared';
import { z } from 'zod';
import { GatewayError } from './errors';

/** Who the call is for: the gateway checks the user's plan and books the usage to user and task. */
export type ChatRequest = { model: string; messages: ChatMessage[]; user?: string; taskId?: string };
/** `model`/`provider`: what actually answered (a fallback, maybe), when the gateway says. */
export type ChatResult = { text: string; tokensIn: number; tokensOut: number; model?: string; provider?: string };
export type GatewayClient = {
  chat(request: ChatRequest, onText: (text: string) => void, signal: AbortSignal): Promise<ChatResult>;
  models(signal: AbortSignal): Promise<GatewayModel[]>;
};

const errorBodySchema = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

/** Streams chat completions from any OpenAI-compatible endpoint (ours by default). */
export function createGatewayClient(options: { baseUrl: string; apiKey: string; timeoutMs: number }): GatewayClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${options.apiKey}` };

  async function post(path: string, body: unknown, extra: Record<string, string>, signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new GatewayError(0, 'gateway_unreachable', `Could not reach the model gateway at ${base}: ${(err as Error).message}`);
    }
    if (!res.ok) {
      // Our gateway's message names the model, the provider and why; another gateway's may not.
      const parsed = errorBodySchema.safeParse(await res.json().catch(() => null));
      const error = parsed.success ? parsed.data.error : {};
      throw new GatewayError(res.status, error.code ?? 'gateway_error', error.message ?? `the gateway at ${base} answered ${res.status}`);
    }
    return res;
  }

  return {
    async chat(request, onText, signal) {
      const { taskId, user, ...rest } = request;
      const res = await post(
        '/chat/completions',
        { ...rest, ...(user ? { user } : {}), stream: true },
        taskId ? { [GATEWAY_TASK_HEADER]: taskId } : {},
        signal,
      );
      const result: ChatResult = { text: '', tokensIn: 0, tokensOut: 0 };
      const model = res.headers.get('x-patchpad-model');
      const provider = res.headers.get('x-patchpad-provider');
      if (model) result.model = model;
      if (provider) result.provider = provider;
      if (!res.body) throw new GatewayError(502, 'gateway_error', 'the gateway sent no body');
      for await (const { data } of readSse(res.body)) {
        if (data === '[DONE]') break;
        const raw = JSON.parse(data) as { error?: { code?: string; message?: string } };
        // After the status line, the gateway reports a failure as the stream's last chunk.
        if (raw.error) throw new GatewayError(502, raw.error.code ?? 'upstream_error', raw.error.message ?? 'the model stream failed');
        const chunk = chatCompletionChunkSchema.parse(raw);
        const text = chunk.choices[0]?.delta.content;
        if (text) {
          result.text += text;
          onText(text);
        }
        if (chunk.usage) {
          result.tokensIn = chunk.usage.prompt_tokens;
          result.tokensOut = chunk.usage.completion_tokens;
        }
      }
      return result;
    },
    async models(signal) {
      const res = await fetch(`${base}/models`, { headers, signal });
      if (!res.ok) throw new GatewayError(res.status, 'gateway_error', `gateway answered ${res.status}`);
      const body = (await res.json()) as { data?: unknown[] };
      return (body.data ?? []).flatMap((m) => {
        const parsed = gatewayModelSchema.safeParse(m);
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
