import { StringDecoder } from 'node:string_decoder';
import type { UpstreamResponse } from '../http-client';
import { SseParser, type SseMessage } from '@patchpad/shared';
import { UpstreamError } from './types';

/**
 * The SSE messages of an upstream body as they arrive. A body that breaks off (connection
 * reset, idle timeout) throws an UpstreamError; a stopped consumer destroys the body so the
 * upstream stops generating.
 */
export async function* sseMessages(res: UpstreamResponse, provider: string, signal: AbortSignal): AsyncGenerator<SseMessage> {
  const body = res.body;
  const queue: SseMessage[] = [];
  const parser = new SseParser((m) => queue.push(m));
  const decoder = new StringDecoder('utf8');
  let complete = false;
  try {
    for await (const chunk of body) {
      res.touch();
      parser.push(decoder.write(chunk as Buffer));
      while (queue.length > 0) yield queue.shift()!;
    }
    parser.push(decoder.end());
    parser.end();
    while (queue.length > 0) yield queue.shift()!;
    complete = true;
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (err instanceof UpstreamError) throw err;
    throw new UpstreamError(provider, 'network', 502, `${provider} broke off the answer: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    if (!complete) body.destroy();
  }
}

/** Parses one JSON event, or says which provider sent something that is not JSON. */
export function parseJson(data: string, provider: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new UpstreamError(provider, 'protocol', 502, `${provider} sent a stream chunk that is not JSON: ${data.slice(0, 80)}`);
  }
}
