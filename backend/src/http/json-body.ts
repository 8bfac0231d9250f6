import type { IncomingMessage } from 'node:http';
import { AppError } from './errors';

/**
 * Reads a JSON body of at most `limitBytes`: the gateway's lean version of express.json (no
 * charset tables, no type sniffing), for a route called once per model call.
 * Not JSON → 415; too large → 413 (the rest is not read); unparsable → 400.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    return Promise.reject(new AppError(415, 'unsupported_media_type', `Send the body as JSON with "Content-Type: application/json" (got "${type || 'none'}")`));
  }
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: AppError | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) return reject(err);
      try {
        resolve(size === 0 ? {} : JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch {
        reject(new AppError(400, 'bad_request', 'Request body is not valid JSON'));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        finish(tooLarge(limitBytes));
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(null));
    req.once('error', () => finish(new AppError(400, 'bad_request', 'The request body could not be read')));
  });
}

function tooLarge(limitBytes: number): AppError {
  return new AppError(413, 'payload_too_large', `The request body may be at most ${Math.round(limitBytes / 1024 / 1024)} MiB`);
}
