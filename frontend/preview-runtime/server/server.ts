import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Static server for the preview runtime, meant for its own origin (never the IDE's).
 * `/` and every extension-less route serve the runtime page (no-cache, with the
 * deployment config injected); `assets/` (content-hashed by vite) and the versioned
 * package cache are immutable; everything else is 404.
 */

export interface PreviewLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PreviewServerOptions {
  distDir?: string;
  logger?: PreviewLogger;
  /** IDE origins allowed to frame the runtime (CSP frame-ancestors) and register with it. */
  allowedParentOrigins?: readonly string[];
}

export const DEFAULT_DIST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

interface Body {
  raw: Buffer;
  gzip: Buffer | null;
  etag: string;
  mtimeMs: number;
}

const silent: PreviewLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function createPreviewServer(options: PreviewServerOptions = {}): http.Server {
  const distDir = resolve(options.distDir ?? DEFAULT_DIST_DIR);
  const logger = options.logger ?? silent;
  const parents = options.allowedParentOrigins ?? [];
  const cache = new Map<string, Body>();
  const configTag = `<script type="application/json" id="pp-config">${JSON.stringify({ allowedParentOrigins: parents.length > 0 ? parents : null }).replace(/</g, '\\u003c')}</script>`;

  async function load(file: string, transform?: (text: string) => string): Promise<Body | null> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    let raw = await readFile(file);
    if (transform) raw = Buffer.from(transform(raw.toString('utf8')));
    const compressible = /^(text\/|application\/json|image\/svg)/.test(TYPES[extname(file)] ?? '');
    const body: Body = {
      raw,
      gzip: compressible && raw.length > 1024 ? gzipSync(raw) : null,
      etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
      mtimeMs: info.mtimeMs,
    };
    cache.set(file, body);
    return body;
  }

  function securityHeaders(res: http.ServerResponse, isPage: boolean): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (isPage) {
      // Framing is the point of this origin; restrict who may frame it when configured.
      if (parents.length > 0) res.setHeader('Content-Security-Policy', `frame-ancestors ${parents.join(' ')}`);
    } else {
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    }
  }

  function send(req: http.IncomingMessage, res: http.ServerResponse, body: Body, type: string, cacheControl: string): void {
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('ETag', body.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === body.etag) {
      res.writeHead(304).end();
      return;
    }
    const gzip = body.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const payload = gzip ? (body.gzip as Buffer) : body.raw;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', payload.length);
    res.writeHead(200).end(req.method === 'HEAD' ? undefined : payload);
  }

  function fail(res: http.ServerResponse, status: number, text: string): void {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(status).end(text);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return fail(res, 405, 'Method not allowed');
    }
    const pathname = routePath(req.url ?? '/');
    if (pathname === null) return fail(res, 404, 'Not found');
    const isPage = extname(pathname) === '';
    securityHeaders(res, isPage);
    if (isPage) {
      const page = await load(join(distDir, 'index.html'), (html) => html.replace('<!--pp-config-->', configTag));
      if (!page) return fail(res, 503, 'The preview runtime is not built: run `npm run build -w frontend`.');
      return send(req, res, page, TYPES['.html'] as string, REVALIDATE);
    }
    const file = join(distDir, pathname);
    if (!file.startsWith(distDir + sep)) return fail(res, 404, 'Not found');
    const body = await load(file);
    if (!body) return fail(res, 404, 'Not found');
    const immutable = pathname.startsWith('/assets/') || /^\/packages\/[0-9a-f]{16}\//.test(pathname);
    send(req, res, body, TYPES[extname(file)] ?? 'application/octet-stream', immutable ? IMMUTABLE : REVALIDATE);
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'preview request failed');
      if (!res.headersSent) fail(res, 500, 'Internal error');
      else res.destroy();
    });
  });
}

/**
 * The decoded, normalised path of a request URL, or null when it is malformed, holds a
 * NUL, a backslash, or any segment starting with a dot (`..`, dotfiles).
 */
export function routePath(url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter(Boolean);
  if (segments.some((s) => s.startsWith('.'))) return null;
  return `/${segments.join('/')}`;
}
