import type { SseMessage } from '@patchpad/shared';
import { Endpoint, postJson } from '../http-client';
import { readChunk } from './openai-chunk';
import { AnswerEvents, parseJson } from './stream';
import { UpstreamError, type ModelProvider, type ProviderEvent } from './types';

/** Any server speaking OpenAI's chat/completions: OpenAI, Ollama, LiteLLM, vLLM, … (always streamed upstream). */
export function createOpenAiProvider(options: { name: string; baseUrl: string }): ModelProvider {
  const url = new Endpoint(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const name = options.name;
  return {
    chat(request, call) {
      const body = JSON.stringify({
        model: request.model,
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      });
      const headers: Record<string, string> = { accept: 'text/event-stream', ...(call.apiKey ? { authorization: `Bearer ${call.apiKey}` } : {}) };
      let done = false;
      const read = (message: SseMessage, out: ProviderEvent[]) => {
        // Read on to the end of the body after [DONE]: leaving early would destroy the
        // keep-alive connection, and the next call would pay a new TCP handshake.
        if (done || message.data === '[DONE]') {
          done = true;
          return;
        }
        const raw = parseJson(message.data, name) as { error?: { message?: string } | string };
        // LiteLLM, vLLM and others report a failure after the status line as an `error` chunk.
        if (raw && typeof raw === 'object' && raw.error) {
          const why = typeof raw.error === 'string' ? raw.error : (raw.error.message ?? 'unknown error');
          throw new UpstreamError(name, 'status', 502, `${name} stream error: ${why}`);
        }
        const chunk = readChunk(raw);
        if (!chunk) throw new UpstreamError(name, 'protocol', 502, `${name} sent a stream chunk that is not a chat completion chunk`);
        if (chunk.text) out.push({ type: 'text', text: chunk.text });
        if (chunk.usage) out.push({ type: 'usage', ...chunk.usage });
      };
      return new AnswerEvents(() => postJson(url, headers, body, { provider: name, ...call }), name, call.signal, read);
    },
  };
}
