import { z } from 'zod';

/** The subset of OpenAI's chat/completions request the gateway accepts and forwards. */
export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(1_000_000),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1).max(200),
    messages: z.array(chatMessageSchema).min(1).max(200),
    stream: z.boolean().default(false),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().min(1).max(200_000).optional(),
    user: z.string().max(200).optional(),
  })
  .passthrough();
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const usageSchema = z.object({
  prompt_tokens: z.number().int().min(0).default(0),
  completion_tokens: z.number().int().min(0).default(0),
});
export type Usage = z.infer<typeof usageSchema>;

export const chatCompletionResponseSchema = z.object({
  id: z.string().default(''),
  model: z.string().default(''),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().default('') }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: usageSchema.optional(),
});
export type ChatCompletionResponse = z.infer<typeof chatCompletionResponseSchema>;

export const chatCompletionChunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullable().optional() }).default({}) })).default([]),
  usage: usageSchema.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

/**
 * Who a gateway call is for: the caller puts the user id in OpenAI's `user` field (the gateway
 * checks the user's plan and books usage to them) and the task id in this header.
 */
export const GATEWAY_TASK_HEADER = 'x-patchpad-task-id';
export const gatewayTaskIdSchema = z.string().regex(/^[\w.:-]{1,100}$/, 'a task id is 1-100 letters, digits, ".", ":", "_" or "-"');

/** One upstream try, as a gateway error reports it (`error.details.attempts`). */
export const gatewayAttemptSchema = z.object({
  model: z.string(),
  provider: z.string(),
  /** Why it failed: the upstream status and message, a timeout, an open circuit, … */
  reason: z.string(),
  status: z.number().int().optional(),
});
export type GatewayAttempt = z.infer<typeof gatewayAttemptSchema>;

/** What every process says when no model is configured: the same text in logs, API errors and tasks. */
export const NO_MODEL_HELP =
  'No model is configured. Set OPENAI_API_KEY (OpenAI), ANTHROPIC_API_KEY (Anthropic), or OPENAI_COMPATIBLE_BASE_URL with OPENAI_COMPATIBLE_MODELS (Ollama, LiteLLM or any OpenAI-compatible server) for the backend, then restart. See "Connect a model" in README.md.';
