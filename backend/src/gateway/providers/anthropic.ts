import { z } from 'zod';
import { UpstreamError, type ModelProvider } from './types';
import { sseMessages, upstreamFailure } from './stream';

export type AnthropicOptions = { baseUrl: string; apiKey: string };

const eventSchema = z.looseObject({
  type: z.string(),
  delta: z.looseObject({ type: z.string().optional(), text: z.string().optional() }).optional(),
  message: z.looseObject({ usage: z.looseObject({ input_tokens: z.number().optional() }).optional() }).optional(),
  usage: z.looseObject({ output_tokens: z.number().optional() }).optional(),
  error: z.looseObject({ message: z.string().optional() }).optional(),
});

/** Anthropic's Messages API, translated to our provider events (system prompt moves to `system`). */
export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/messages`;
  return {
    name: 'anthropic',
    async *chat(request, signal) {
      const system = request.messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const messages = request.messages.filter((m) => m.role !== 'system');
      const res = await fetch(url, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/json', 'x-api-key': options.apiKey, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: request.model,
          max_tokens: request.maxTokens ?? 8192,
          stream: true,
          messages,
          ...(system ? { system } : {}),
          ...(request.temperature !== undefined ? { temperature: Math.min(1, request.temperature) } : {}),
        }),
      });
      if (!res.ok) throw await upstreamFailure(res, 'anthropic');
      let promptTokens = 0;
      for await (const message of sseMessages(res, 'anthropic')) {
        const event = eventSchema.safeParse(JSON.parse(message.data));
        if (!event.success) continue;
        const e = event.data;
        if (e.type === 'message_start') promptTokens = e.message?.usage?.input_tokens ?? 0;
        else if (e.type === 'content_block_delta' && e.delta?.type === 'text_delta' && e.delta.text) yield { type: 'text', text: e.delta.text };
        else if (e.type === 'message_delta') yield { type: 'usage', promptTokens, completionTokens: e.usage?.output_tokens ?? 0 };
        else if (e.type === 'error') throw new UpstreamError('anthropic', 502, `anthropic stream error: ${e.error?.message ?? 'unknown'}`);
      }
    },
  };
}
