import { chatCompletionChunkSchema } from '@patchpad/shared';
import type { ModelProvider } from './types';
import { sseMessages, upstreamFailure } from './stream';
import { UpstreamError } from './types';

export type OpenAiOptions = { name: string; baseUrl: string; apiKey?: string | undefined };

/** Any server speaking OpenAI's chat/completions: OpenAI, Ollama, LiteLLM, vLLM, … */
export function createOpenAiProvider(options: OpenAiOptions): ModelProvider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: options.name,
    async *chat(request, signal) {
      const res = await fetch(url, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/json', ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify({
          model: request.model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
        }),
      });
      if (!res.ok) throw await upstreamFailure(res, options.name);
      for await (const message of sseMessages(res, options.name)) {
        if (message.data === '[DONE]') return;
        let chunk;
        try {
          chunk = chatCompletionChunkSchema.parse(JSON.parse(message.data));
        } catch {
          throw new UpstreamError(options.name, 502, `${options.name} sent a stream chunk that is not a chat completion chunk`);
        }
        const text = chunk.choices[0]?.delta.content;
        if (text) yield { type: 'text', text };
        if (chunk.usage) yield { type: 'usage', promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
      }
    },
  };
}
