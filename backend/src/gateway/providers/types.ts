import type { ChatMessage } from '@patchpad/shared';
import type { CallSignal } from '../call-abort';

export type ProviderRequest = { model: string; messages: ChatMessage[]; temperature?: number; maxTokens?: number };

/** What every provider yields, whatever its wire format: text deltas, then usage once (if reported). */
export type ProviderEvent = { type: 'text'; text: string } | { type: 'usage'; promptTokens: number; completionTokens: number };

export type CallOptions = {
  apiKey: string | undefined;
  signal: CallSignal;
  connectTimeoutMs: number;
  /** Longest silence allowed before the answer's headers and between two of its chunks. */
  idleTimeoutMs: number;
};

export interface ModelProvider {
  /**
   * Streams the answer in batches: each batch holds the events of what arrived together (never
   * empty). Batches, not single events: every step through the async iterators between the
   * upstream and the caller costs promises and microtasks, and most answers arrive in a few
   * network reads. Aborts the upstream call when `signal` fires.
   */
  chat(request: ProviderRequest, options: CallOptions): AsyncIterable<ProviderEvent[]>;
}

/**
 * Why an upstream call failed: an error status, the network, a timeout, or a body that is
 * not what the protocol promises. `retryAfterMs` carries the upstream's Retry-After.
 */
export type UpstreamFailureKind = 'status' | 'network' | 'connect_timeout' | 'idle_timeout' | 'protocol';

export class UpstreamError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: UpstreamFailureKind,
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
