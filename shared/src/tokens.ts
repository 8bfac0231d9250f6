import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token counting with a real BPE tokenizer (OpenAI's o200k_base). Exact for current OpenAI
 * models; for other families (Claude, Llama, Qwen) it is the closest open vocabulary we can
 * ship, typically within ~10-15 % — far better than characters ÷ 4 on code. Kept out of the
 * package index so that the browser bundle never loads the vocabulary.
 */
export function countTokens(text: string): number {
  if (text === '') return 0;
  return countO200k(text);
}

/** Chat framing OpenAI documents: ~3 tokens per message plus 3 that prime the answer. */
const PER_MESSAGE = 3;
const PRIMING = 3;

/** `tokens`, when given, is the count of `content` already known (a fixed text counted once). */
export function countMessageTokens(messages: readonly { role: string; content: string; tokens?: number }[]): number {
  let total = PRIMING;
  for (const m of messages) total += PER_MESSAGE + (m.tokens ?? countTokens(m.content));
  return total;
}
