/**
 * Server-sent events, both directions. The parser is a pure push parser: feed it text in
 * any chunking (a network read may end mid-line, even between `\r` and `\n`) and it calls
 * back once per complete event, following the WHATWG event-stream rules we rely on.
 */
export type SseMessage = { event: string; data: string; id?: string };

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private sawCr = false;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(chunk: string): void {
    let text = chunk;
    // A chunk that ended in "\r" may be followed by the "\n" of the same line break.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = text.endsWith('\r');
    const buffer = this.buffer + text;
    // Most streams break lines with "\n" alone: then scan for it, without a regex or an array of lines.
    if (!buffer.includes('\r')) {
      let start = 0;
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n', start)) {
        this.line(buffer.slice(start, end));
        start = end + 1;
      }
      this.buffer = buffer.slice(start);
      return;
    }
    const lines = buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Flushes a trailing line at end of stream; an unterminated event is dropped per spec. */
  end(): void {
    if (this.buffer !== '') this.line(this.buffer);
    this.buffer = '';
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.id = value;
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const message: SseMessage = { event: this.event || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) message.id = this.id;
      this.onMessage(message);
    }
    this.data = [];
    this.event = '';
  }
}

/** Formats one event; multi-line data becomes several `data:` lines. */
export function formatSse(message: { event?: string; data: string; id?: string }): string {
  let out = '';
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  if (message.event !== undefined) out += `event: ${message.event}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/**
 * The SSE messages of a response body as they arrive (fetch in Node and the browser alike).
 * Stopping early (break, return, an exception in the consumer) cancels the body, so the
 * connection is released instead of left streaming into nowhere.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const queue: SseMessage[] = [];
  const parser = new SseParser((m) => queue.push(m));
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
    }
    finished = true;
    parser.push(decoder.decode());
    parser.end();
    while (queue.length > 0) yield queue.shift()!;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
