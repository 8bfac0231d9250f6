import { chatCompletionChunkSchema, readSse, type ChatMessage } from '@patchpad/shared';
import { GatewayError } from './errors';

export type ChatResult = { text: string; tokensIn: number; tokensOut: number };
export type GatewayClient = {
  chat(request: { model: string; messages: ChatMessage[] }, onText: (text: string) => void, signal: AbortSignal): Promise<ChatResult>;
  models(signal: AbortSignal): Promise<string[]>;
};

/** Streams chat completions from any OpenAI-compatible endpoint (ours by default). */
export function createGatewayClient(options: { baseUrl: string; apiKey: string; timeoutMs: number }): GatewayClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${options.apiKey}` };

  async function post(path: string, body: unknown, signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new GatewayError(0, 'gateway_unreachable', `Could not reach the model gateway at ${base}: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new GatewayError(res.status, body?.error?.code ?? 'gateway_error', body?.error?.message ?? `gateway answered ${res.status}`);
    }
    return res;
  }

  return {
    async chat(request, onText, signal) {
      const res = await post('/chat/completions', { ...request, stream: true }, signal);
      const result: ChatResult = { text: '', tokensIn: 0, tokensOut: 0 };
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
      const body = (await res.json()) as { data?: { id: string }[] };
      return (body.data ?? []).map((m) => m.id);
    },
  };
}
