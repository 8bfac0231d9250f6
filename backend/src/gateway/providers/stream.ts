import { StringDecoder } from 'node:string_decoder';
import { SseParser, type SseMessage } from '@patchpad/shared';
import type { UpstreamResponse } from '../http-client';
import { UpstreamError } from './types';

/**
 * The SSE messages of an upstream body as they arrive. A body that breaks off (connection
 * reset, idle timeout) throws an UpstreamError; a consumer that stops early destroys the body
 * so the upstream stops generating. Reads 'data' events into a queue rather than through the
 * stream's async iterator, which costs several promises and listeners per chunk.
 */
export async function* sseMessages(res: UpstreamResponse, provider: string, signal: AbortSignal): AsyncGenerator<SseMessage> {
  const body = res.body;
  const queue: SseMessage[] = [];
  const parser = new SseParser((m) => queue.push(m));
  const decoder = new StringDecoder('utf8');
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const onData = (chunk: Buffer) => {
    res.touch();
    parser.push(decoder.write(chunk));
    wake?.();
  };
  const onEnd = () => {
    parser.push(decoder.end());
    parser.end();
    ended = true;
    wake?.();
  };
  const onError = (err: unknown) => {
    failure ??= err;
    wake?.();
  };
  // 'close' before 'end': the connection went away mid-answer. (After 'end' it always follows;
  // no Error then: capturing a stack trace per call is measurable.)
  const onClose = () => {
    if (!ended) onError(new Error('connection closed'));
  };
  body.on('data', onData);
  body.once('end', onEnd);
  body.once('error', onError);
  body.once('close', onClose);
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (ended) return;
      if (failure !== null) throw brokenOff(failure, provider, signal);
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    body.off('data', onData);
    body.off('end', onEnd);
    body.off('error', onError);
    body.off('close', onClose);
    if (!ended) body.destroy();
  }
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
