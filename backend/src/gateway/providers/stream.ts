import type { SseMessage } from '@patchpad/shared';
import { SseReader } from '@patchpad/shared/server';
import { upstreamFailure, type UpstreamResponse } from '../http-client';
import { UpstreamError, type ProviderEvent } from './types';
import type { CallSignal } from '../call-abort';

function brokenOff(err: unknown, provider: string, signal: CallSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (err instanceof UpstreamError) return err;
  return new UpstreamError(provider, 'network', 502, `${provider} broke off the answer: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/** Parses one JSON event, or says which provider sent something that is not JSON. */
export function parseJson(data: string, provider: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new UpstreamError(provider, 'protocol', 502, `${provider} sent a stream chunk that is not JSON: ${data.slice(0, 80)}`);
  }
}

type ReadMessage = (message: SseMessage, out: ProviderEvent[]) => void;
const END: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A provider's answer as batches of events (ModelProvider.chat). The first next() sends the
 * request and turns a non-2xx status into an UpstreamError; each next() then reads a batch of
 * SSE messages (SseReader) with `read`, which turns a message into events or throws on a bad
 * one. Events read before a failure are handed out first and the failure is thrown by the
 * next call, as if they had come one by one. A body that breaks off (connection reset, idle
 * timeout) throws an UpstreamError, or the abort's reason; each chunk re-arms the silence
 * timer. return() stops early and closes the body. Written by hand rather than as an async
 * generator, for the reason SseReader gives.
 */
export class AnswerEvents implements AsyncIterableIterator<ProviderEvent[]> {
  private reader: SseReader | null = null;
  private failure: unknown = null;
  private done = false;

  constructor(
    private readonly send: () => Promise<UpstreamResponse>,
    private readonly provider: string,
    private readonly signal: CallSignal,
    private readonly read: ReadMessage,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ProviderEvent[], undefined>> {
    try {
      if (this.done) return END;
      if (this.failure !== null) throw this.failure;
      if (!this.reader) {
        const reader = await this.open();
        this.reader = reader;
        // return() came while the request was under way.
        if (this.done) return this.stop();
      }
      for (;;) {
        const messages = await this.reader.next();
        if (messages === null) return this.stop();
        const events: ProviderEvent[] = [];
        try {
          for (const message of messages) this.read(message, events);
        } catch (err) {
          this.failure = err;
        }
        if (events.length > 0) return { value: events, done: false };
        if (this.failure !== null) throw this.failure;
      }
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  async return(): Promise<IteratorReturnResult<undefined>> {
    return this.stop();
  }

  private stop(): IteratorReturnResult<undefined> {
    this.done = true;
    this.reader?.close();
    return END;
  }

  private async open(): Promise<SseReader> {
    const res = await this.send();
    if (res.status < 200 || res.status >= 300) throw await upstreamFailure(res, this.provider);
    return new SseReader(res.body, { onChunk: res.touch, brokenOff: (err) => brokenOff(err, this.provider, this.signal) });
  }
}
