import type { ChatMessage } from '@patchpad/shared';

export type ProviderRequest = { model: string; messages: ChatMessage[]; temperature?: number; maxTokens?: number };

/** What every provider yields, whatever its wire format: text deltas, then usage once. */
export type ProviderEvent = { type: 'text'; text: string } | { type: 'usage'; promptTokens: number; completionTokens: number };

export interface ModelProvider {
  readonly name: string;
  /** Streams the answer; aborts the upstream call when `signal` fires. */
  chat(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent>;
}

/** An upstream answered with an error status or an unreadable body. */
export class UpstreamError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
