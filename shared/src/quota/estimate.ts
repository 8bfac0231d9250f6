import type { CreateTaskBody } from '../schemas/task';

/**
 * Tokens a task is expected to spend, reserved against the user's monthly allowance when it
 * is created (the gateway then counts what is really spent, and the rest is released when the
 * task ends). A deliberate over-estimate: ~3 characters per token (source code runs 3–4) for
 * everything the prompt can carry, plus one full answer of `outputTokens`.
 */
export const CHARS_PER_TOKEN_ESTIMATE = 3;
export const DEFAULT_OUTPUT_ALLOWANCE = 4096;
/** The instructions the worker adds around the user's input. */
const PROMPT_OVERHEAD_TOKENS = 600;

export function estimateTaskTokens(input: Pick<CreateTaskBody, 'prompt' | 'files'>, outputTokens = DEFAULT_OUTPUT_ALLOWANCE): number {
  let chars = input.prompt.length;
  for (const [path, text] of Object.entries(input.files)) chars += path.length + text.length;
  return PROMPT_OVERHEAD_TOKENS + Math.ceil(chars / CHARS_PER_TOKEN_ESTIMATE) + outputTokens;
}
