/**
 * Limits and list prices (US$ per million tokens) of well-known models, used only when the
 * environment seeds an entry; admins correct or extend them through /api/admin/models.
 * Unknown models get conservative limits and price 0 (usage is still counted in tokens).
 */
export type KnownModel = { contextWindow: number; maxOutputTokens: number; priceInputPerMTok: number; priceOutputPerMTok: number };

const KNOWN: Record<string, KnownModel> = {
  'gpt-4o-mini': { contextWindow: 128_000, maxOutputTokens: 16_384, priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 },
  'gpt-4o': { contextWindow: 128_000, maxOutputTokens: 16_384, priceInputPerMTok: 2.5, priceOutputPerMTok: 10 },
  'gpt-4.1': { contextWindow: 1_047_576, maxOutputTokens: 32_768, priceInputPerMTok: 2, priceOutputPerMTok: 8 },
  'gpt-4.1-mini': { contextWindow: 1_047_576, maxOutputTokens: 32_768, priceInputPerMTok: 0.4, priceOutputPerMTok: 1.6 },
  'gpt-4.1-nano': { contextWindow: 1_047_576, maxOutputTokens: 32_768, priceInputPerMTok: 0.1, priceOutputPerMTok: 0.4 },
  'claude-sonnet-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, priceInputPerMTok: 3, priceOutputPerMTok: 15 },
  'claude-haiku-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, priceInputPerMTok: 1, priceOutputPerMTok: 5 },
  'claude-opus-4-1': { contextWindow: 200_000, maxOutputTokens: 32_000, priceInputPerMTok: 15, priceOutputPerMTok: 75 },
};

export const UNKNOWN_MODEL: KnownModel = { contextWindow: 8_192, maxOutputTokens: 4_096, priceInputPerMTok: 0, priceOutputPerMTok: 0 };

export function knownModel(upstreamModel: string): KnownModel {
  return KNOWN[upstreamModel.toLowerCase()] ?? UNKNOWN_MODEL;
}
