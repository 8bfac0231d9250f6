import { sseBatches } from '@patchpad/shared/server';
import type { SseMessage } from '@patchpad/shared';
import { upstreamFailure, type UpstreamResponse } from '../http-client';
import { UpstreamError, type ProviderEvent } from './types';
import type { CallSignal } from '../call-abort';

/**
 * The SSE messages of an upstream body as they arrive, in batches (sseBatches). A body that
 * breaks off (connection reset, idle timeout) throws an UpstreamError; each chunk re-arms the
 * silence timer.
 */
export function sseMessages(res: UpstreamResponse, provider: string, signal: CallSignal): AsyncGenerator<SseMessage[]> {
  return sseBatches(res.body, { onChunk: res.touch, brokenOff: (err) => brokenOff(err, provider, signal) });
}

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

/**
 * A provider's answer as batches of events (ModelProvider.chat): sends the request, turns a
 * non-2xx status into an UpstreamError, then reads each batch of SSE messages with `read`,
 * which turns a message into events or throws on a bad one. The events read before a failure
 * are passed on before it is thrown, as they would be had they come one by one.
 */
export async function* answerEvents(
  send: () => Promise<UpstreamResponse>,
  provider: string,
  signal: CallSignal,
  read: (message: SseMessage, out: ProviderEvent[]) => void,
): AsyncGenerator<ProviderEvent[]> {
  const res = await send();
  if (res.status < 200 || res.status >= 300) throw await upstreamFailure(res, provider);
  for await (const messages of sseMessages(res, provider, signal)) {
    const events: ProviderEvent[] = [];
    let failure: unknown = null;
    try {
      for (const message of messages) read(message, events);
    } catch (err) {
      failure = err;
    }
    if (events.length > 0) yield events;
    if (failure !== null) throw failure;
  }
}
