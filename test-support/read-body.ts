import type { IncomingMessage } from 'node:http';

/** The whole body of a request or response, as bytes. */
export function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** The whole body of a request or response, as UTF-8 text. */
export async function readText(stream: IncomingMessage): Promise<string> {
  return (await readBody(stream)).toString('utf8');
}
