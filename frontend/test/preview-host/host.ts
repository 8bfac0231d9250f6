import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ensureRuntimeBuilt } from '../../preview-runtime/server/build-runtime';
import { createPreviewServer } from '../../preview-runtime/server/server';

/**
 * Starts the two origins of a preview test: the runtime on http://127.0.0.1:<port> and
 * a stand-in IDE page on http://localhost:<port> (a different site, like production),
 * with the IDE's CSP (frame-src = the runtime's origin) and a token in its storage.
 */

const here = dirname(fileURLToPath(import.meta.url));
export const IDE_TOKEN = 'ide-secret-token-0f3c';

export interface PreviewEnv {
  hostUrl: string;
  runtimeUrl: string;
  /** The runtime on a project's own origin (`http://<key>.preview.localhost:<port>/`). */
  projectRuntimeUrl(key: string): string;
  close(): Promise<void>;
}

async function buildHostBundle(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(here, 'main.tsx')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

const listen = (server: http.Server, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });

const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface PreviewEnvOptions {
  /** Holds back the runtime's script this long: a preview that is slow to start. */
  runtimeDelayMs?: number;
}

export async function startPreviewEnv(options: PreviewEnvOptions = {}): Promise<PreviewEnv> {
  const [bundle] = await Promise.all([buildHostBundle(), ensureRuntimeBuilt()]);
  // The IDE stand-in listens first, so the runtime can restrict framing to it, as in production.
  const host = http.createServer((req, res) => serveHost(req, res));
  const hostPort = await listen(host, '127.0.0.1');
  const runtime = createPreviewServer({ allowedParentOrigins: [`http://localhost:${hostPort}`] });
  const delay = options.runtimeDelayMs ?? 0;
  if (delay > 0) {
    const [serve] = runtime.listeners('request') as http.RequestListener[];
    runtime.removeAllListeners('request');
    runtime.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const slow = /^\/assets\/.*\.js$/.test(req.url ?? '');
      setTimeout(() => serve?.(req, res), slow ? delay : 0);
    });
  }
  const runtimePort = await listen(runtime, '127.0.0.1');
  const runtimeUrl = `http://127.0.0.1:${runtimePort}/`;

  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `frame-src http://127.0.0.1:${runtimePort} http://*.preview.localhost:${runtimePort}`,
    "frame-ancestors 'none'",
  ].join('; ');
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>IDE</title>
<script type="module" src="/setup.js"></script><script type="module" src="/host.js"></script></head>
<body style="margin:0"><div id="app"></div></body></html>`;
  const setup = `localStorage.setItem('token', ${JSON.stringify(IDE_TOKEN)}); document.cookie = 'token=${IDE_TOKEN}; path=/';`;
  function serveHost(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = path === '/' ? page : path === '/host.js' ? bundle : path === '/setup.js' ? setup : null;
    if (body === null) return void res.writeHead(404).end();
    res.writeHead(200, {
      'Content-Type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript',
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }
  return {
    hostUrl: `http://localhost:${hostPort}/`,
    runtimeUrl,
    projectRuntimeUrl: (key) => `http://${key}.preview.localhost:${runtimePort}/`,
    async close() {
      await Promise.all([close(host), close(runtime)]);
    },
  };
}
