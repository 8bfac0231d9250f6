import { readSse, type SseMessage } from '@patchpad/shared';
import { UpstreamError } from './types';

/** Yields the SSE messages of an upstream response as they arrive. */
export function sseMessages(res: Response, provider: string): AsyncIterable<SseMessage> {
  if (!res.body) throw new UpstreamError(provider, res.status, 'upstream sent no body');
  return readSse(res.body);
}

/** Reads an error body for the message, briefly: upstream bodies can be large HTML pages. */
export async function upstreamFailure(res: Response, provider: string): Promise<UpstreamError> {
  const text = (await res.text().catch(() => '')).slice(0, 2000);
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    message = (typeof parsed.error === 'string' ? parsed.error : parsed.error?.message) ?? parsed.message ?? text;
  } catch {
    // not JSON: keep the text
  }
  return new UpstreamError(provider, res.status, `${provider} answered ${res.status}: ${message.slice(0, 500) || res.statusText}`);
}
