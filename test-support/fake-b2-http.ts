import type { IncomingMessage, ServerResponse } from 'node:http';

/** HTTP plumbing and listing rules of the local B2 API server (fake-b2.ts). */

export interface StoredFile {
  fileId: string;
  data: Buffer;
  contentType: string;
  sha1: string;
  uploadTimestamp: number;
}

export class B2Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/**
 * b2_list_file_names over sorted names: from startFileName (inclusive), under prefix; with a
 * delimiter, names with it after the prefix collapse into one "folder" entry. nextFileName
 * is where the next call starts (B2 only promises that it finds the next entry).
 */
export function listNames(
  sorted: string[],
  q: { prefix: string; delimiter: string | null; start: string; max: number },
  file: (name: string) => StoredFile,
): { files: unknown[]; nextFileName: string | null } {
  const out: unknown[] = [];
  let lastFolder: string | null = null;
  for (const name of sorted) {
    if (!name.startsWith(q.prefix) || name < q.start) continue;
    const cut = q.delimiter === null ? -1 : name.indexOf(q.delimiter, q.prefix.length);
    const entryName = cut === -1 ? name : name.slice(0, cut + q.delimiter!.length);
    if (entryName === lastFolder) continue;
    if (out.length === q.max) return { files: out, nextFileName: entryName };
    if (cut !== -1) {
      lastFolder = entryName;
      out.push({ action: 'folder', fileName: entryName, fileId: null, contentLength: 0, uploadTimestamp: 0 });
      continue;
    }
    const f = file(name);
    out.push({ action: 'upload', fileName: name, fileId: f.fileId, contentLength: f.data.length, contentSha1: f.sha1, uploadTimestamp: f.uploadTimestamp });
  }
  return { files: out, nextFileName: null };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new B2Error(400, 'bad_request', 'request body is not a JSON object');
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
