/**
 * The two things the gateway reads from an OpenAI stream chunk: the text delta and the usage.
 * Checked by hand rather than with zod: this runs for every token of every answer, and
 * schema parsing (defaults, copies) cost more than the rest of handling the chunk.
 * Returns null when the chunk does not have the shape the protocol promises.
 */
export type ChunkContent = { text: string | null; usage: { promptTokens: number; completionTokens: number } | null };

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

export function readChunk(raw: unknown): ChunkContent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { choices, usage } = raw as { choices?: unknown; usage?: unknown };
  let text: string | null = null;
  if (choices !== undefined) {
    if (!Array.isArray(choices)) return null;
    const first = choices[0] as { delta?: { content?: unknown } } | undefined;
    if (first !== undefined) {
      if (typeof first !== 'object' || first === null) return null;
      const content = first.delta?.content;
      if (content !== undefined && content !== null && typeof content !== 'string') return null;
      text = content ?? null;
    }
  }
  if (usage === undefined || usage === null) return { text, usage: null };
  const u = usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
  const promptTokens = u.prompt_tokens ?? 0;
  const completionTokens = u.completion_tokens ?? 0;
  if (!isCount(promptTokens) || !isCount(completionTokens)) return null;
  return { text, usage: { promptTokens, completionTokens } };
}
