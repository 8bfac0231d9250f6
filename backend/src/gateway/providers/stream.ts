import { sseBody } from '@patchpad/shared/server';
import type { SseMessage } from '@patchpad/shared';
import type { UpstreamResponse } from '../http-client';
import { UpstreamError } from './types';

/**
 * The SSE messages of an upstream body as they arrive. A body that breaks off (connection
 * reset, idle timeout) throws an UpstreamError; each chunk re-arms the silence timer.
 */
export function sseMessages(res: UpstreamResponse, provider: string, signal: AbortSignal): AsyncGenerator<SseMessage> {
  return sseBody(res.body, { onChunk: res.touch, brokenOff: (err) => brokenOff(err, provider, signal) });
}

function brokenOff(err: unknown, provider: string, signal: AbortSignal): unknown {
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
