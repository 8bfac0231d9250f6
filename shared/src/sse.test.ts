import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatSse, readSse, SseParser, type SseMessage } from './sse';

function parseAll(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = new SseParser((m) => out.push(m));
  for (const c of chunks) parser.push(c);
  parser.end();
  return out;
}

function everySplit(text: string): string[][] {
  const splits: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) splits.push([text.slice(0, i), text.slice(i)]);
  return splits;
}

describe('SseParser', () => {
  const stream = 'id: 1\nevent: token\ndata: {"text":"a"}\n\n: keep-alive\r\n\r\ndata: line1\r\ndata: line2\r\n\r\nid: 3\ndata:no-space\n\n';
  const expected: SseMessage[] = [
    { id: '1', event: 'token', data: '{"text":"a"}' },
    { id: '1', event: 'message', data: 'line1\nline2' },
    { id: '3', event: 'message', data: 'no-space' },
  ];

  it('parses events identically in every chunking, one character at a time too', () => {
    for (const chunks of everySplit(stream)) expect(parseAll(chunks)).toEqual(expected);
  });

  it('drops an event that was never terminated by a blank line', () => {
    expect(parseAll(['data: partial'])).toEqual([]);
  });

  it('does not treat a CR at a chunk end followed by LF as two line breaks', () => {
    expect(parseAll(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('round-trips formatSse output for arbitrary data, event names and chunkings', () => {
    const name = fc.stringMatching(/^[a-z]{1,8}$/);
    fc.assert(
      fc.property(fc.array(fc.record({ event: name, data: fc.string() }), { maxLength: 5 }), fc.integer({ min: 1, max: 7 }), (msgs, size) => {
        const text = msgs.map((m) => formatSse(m)).join('');
        const chunks: string[] = [];
        for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
        const expectedData = msgs.map((m) => ({ event: m.event, data: m.data.replace(/\r\n|\r/g, '\n') }));
        expect(parseAll(chunks)).toEqual(expectedData);
      }),
    );
  });
});

describe('readSse', () => {
  const bodyOf = (chunks: Uint8Array[], onCancel?: () => void) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        if (!onCancel) controller.close();
      },
      cancel: onCancel,
    });

  it('decodes UTF-8 split between chunks, byte by byte', async () => {
    const bytes = new TextEncoder().encode(formatSse({ data: 'héllo → 世界' }));
    const out: SseMessage[] = [];
    for await (const m of readSse(bodyOf([...bytes].map((b) => Uint8Array.of(b))))) out.push(m);
    expect(out).toEqual([{ event: 'message', data: 'héllo → 世界' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = bodyOf([new TextEncoder().encode(formatSse({ data: 'a' }) + formatSse({ data: 'b' }))], () => (cancelled = true));
    for await (const m of readSse(body)) {
      expect(m.data).toBe('a');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
