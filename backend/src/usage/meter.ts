import type { ChatMessage, ModelEntry } from '@patchpad/shared';
import type * as TokensModule from '@patchpad/shared/tokens';

type Tokenizer = typeof TokensModule;
let tokenizer: Promise<Tokenizer> | null = null;

/**
 * The tokenizer, loaded on first need: most providers report usage themselves, so a gateway
 * that never meets one that does not never pays the vocabulary's memory.
 */
export function loadTokenizer(): Promise<Tokenizer> {
  tokenizer ??= import('@patchpad/shared/tokens');
  return tokenizer;
}

/** Tokens of a call: the provider's report when there is one, else counted. */
export async function tokensOf(
  messages: readonly ChatMessage[],
  answer: string,
  reported: { promptTokens: number; completionTokens: number } | null,
): Promise<{ tokensIn: number; tokensOut: number; source: 'provider' | 'tokenizer' }> {
  if (reported) return { tokensIn: reported.promptTokens, tokensOut: reported.completionTokens, source: 'provider' };
  const t = await loadTokenizer();
  return { tokensIn: t.countMessageTokens(messages), tokensOut: t.countTokens(answer), source: 'tokenizer' };
}

/** Cost in billionths of a US dollar: prices are per million tokens, so tokens × price × 1000. */
export function costNanoUsd(entry: Pick<ModelEntry, 'priceInputPerMTok' | 'priceOutputPerMTok'>, tokensIn: number, tokensOut: number): number {
  return Math.round((tokensIn * entry.priceInputPerMTok + tokensOut * entry.priceOutputPerMTok) * 1000);
}
