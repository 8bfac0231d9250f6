import { postJson, upstreamFailure } from '../http-client';
import { readChunk } from './openai-chunk';
import { parseJson, sseMessages } from './stream';
import { UpstreamError, type ModelProvider } from './types';

/** Any server speaking OpenAI's chat/completions: OpenAI, Ollama, LiteLLM, vLLM, … (always streamed upstream). */
export function createOpenAiProvider(options: { name: string; baseUrl: string }): ModelProvider {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const name = options.name;
  return {
    async *chat(request, call) {
      const body = JSON.stringify({
        model: request.model,
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      });
      const headers: Record<string, string> = { accept: 'text/event-stream', ...(call.apiKey ? { authorization: `Bearer ${call.apiKey}` } : {}) };
      const res = await postJson(url, headers, body, { provider: name, ...call });
      if (res.status < 200 || res.status >= 300) throw await upstreamFailure(res, name);
      let done = false;
      for await (const message of sseMessages(res, name, call.signal)) {
        // Read on to the end of the body after [DONE]: leaving early would destroy the
        // keep-alive connection, and the next call would pay a new TCP handshake.
        if (done || message.data === '[DONE]') {
          done = true;
          continue;
        }
        const raw = parseJson(message.data, name) as { error?: { message?: string } | string };
        // LiteLLM, vLLM and others report a failure after the status line as an `error` chunk.
        if (raw && typeof raw === 'object' && raw.error) {
          const why = typeof raw.error === 'string' ? raw.error : (raw.error.message ?? 'unknown error');
          throw new UpstreamError(name, 'status', 502, `${name} stream error: ${why}`);
        }
        const chunk = readChunk(raw);
        if (!chunk) throw new UpstreamError(name, 'protocol', 502, `${name} sent a stream chunk that is not a chat completion chunk`);
        if (chunk.text) yield { type: 'text', text: chunk.text };
        if (chunk.usage) yield { type: 'usage', ...chunk.usage };
      }
    },
  };
}
