import { z } from 'zod';
import type { SseMessage } from '@patchpad/shared';
import { Endpoint, postJson } from '../http-client';
import { AnswerEvents, parseJson } from './stream';
import { UpstreamError, type ModelProvider, type ProviderEvent } from './types';

const eventSchema = z.looseObject({
  type: z.string(),
  delta: z.looseObject({ type: z.string().optional(), text: z.string().optional() }).optional(),
  message: z.looseObject({ usage: z.looseObject({ input_tokens: z.number().optional() }).optional() }).optional(),
  usage: z.looseObject({ output_tokens: z.number().optional() }).optional(),
  error: z.looseObject({ message: z.string().optional() }).optional(),
});

/** Anthropic's Messages API, translated to our provider events (the system prompt moves to `system`). */
export function createAnthropicProvider(options: { baseUrl: string }): ModelProvider {
  const url = new Endpoint(`${options.baseUrl.replace(/\/+$/, '')}/messages`);
  const name = 'anthropic';
  return {
    chat(request, call) {
      const system = request.messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const messages = request.messages.filter((m) => m.role !== 'system');
      const body = JSON.stringify({
        model: request.model,
        max_tokens: request.maxTokens ?? 8192,
        stream: true,
        messages,
        ...(system ? { system } : {}),
        ...(request.temperature !== undefined ? { temperature: Math.min(1, request.temperature) } : {}),
      });
      const headers = { 'anthropic-version': '2023-06-01', accept: 'text/event-stream', ...(call.apiKey ? { 'x-api-key': call.apiKey } : {}) };
      let promptTokens = 0;
      const read = (message: SseMessage, out: ProviderEvent[]) => {
        const event = eventSchema.safeParse(parseJson(message.data, name));
        if (!event.success) throw new UpstreamError(name, 'protocol', 502, `${name} sent an event without a type`);
        const e = event.data;
        if (e.type === 'message_start') promptTokens = e.message?.usage?.input_tokens ?? 0;
        else if (e.type === 'content_block_delta' && e.delta?.type === 'text_delta' && e.delta.text) out.push({ type: 'text', text: e.delta.text });
        else if (e.type === 'message_delta') out.push({ type: 'usage', promptTokens, completionTokens: e.usage?.output_tokens ?? 0 });
        else if (e.type === 'error') throw new UpstreamError(name, 'status', 502, `${name} stream error: ${e.error?.message ?? 'unknown'}`);
      };
      return new AnswerEvents(() => postJson(url, headers, body, { provider: name, ...call }), name, call.signal, read);
    },
  };
}
