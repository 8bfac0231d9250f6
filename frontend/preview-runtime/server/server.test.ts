import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewServer, routePath } from './server';

describe('preview server', () => {
  let dir: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pp-preview-'));
    await mkdir(join(dir, 'assets'));
    await mkdir(join(dir, 'packages', '0123456789abcdef', 'react@19.0.0'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<html><head><!--pp-config--></head><body></body></html>');
    await writeFile(join(dir, 'assets', 'index-abc.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
    await writeFile(join(dir, 'packages', 'manifest.json'), '{"version":"0123456789abcdef"}');
    await writeFile(join(dir, 'packages', '0123456789abcdef', 'react@19.0.0', 'index.js'), 'module.exports = {};');
    await writeFile(join(dir, 'packages', '0123456789abcdef', '.complete'), '');
    await writeFile(join(tmpdir(), 'pp-outside.txt'), 'secret');
    server = createPreviewServer({ distDir: dir, allowedParentOrigins: ['http://localhost:5173'] });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the runtime page at / and any extension-less route, no-cache, with the config', async () => {
    for (const path of ['/', '/about', '/deep/route?x=1']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe('frame-ancestors http://localhost:5173');
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(await res.text()).toContain('<script type="application/json" id="pp-config">{"allowedParentOrigins":["http://localhost:5173"]}</script>');
    }
  });

  it('serves hashed assets and the versioned package cache immutable, the manifest no-cache', async () => {
    const asset = await fetch(`${base}/assets/index-abc.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const pkg = await fetch(`${base}/packages/0123456789abcdef/react@19.0.0/index.js`);
    expect(pkg.status).toBe(200);
    expect(pkg.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const manifest = await fetch(`${base}/packages/manifest.json`);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    const etag = manifest.headers.get('etag') as string;
    const again = await fetch(`${base}/packages/manifest.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('compresses text when the client accepts gzip', async () => {
    const { request } = await import('node:http');
    const body = await new Promise<{ encoding: string | undefined; data: Buffer }>((resolve, reject) => {
      request(`${base}/assets/index-abc.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], data: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(body.encoding).toBe('gzip');
    expect(gunzipSync(body.data).toString()).toContain('xxxx');
  });

  it('answers 404 for unknown files, dotfiles and traversal, 405 for other methods', async () => {
    for (const path of [
      '/nope.js',
      '/packages/0123456789abcdef/.complete',
      '/%2e%2e/pp-outside.txt',
      '/assets/..%2f..%2fpp-outside.txt',
      '/..%5c..%5cpp-outside.txt',
      '/%00.js',
    ]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('routePath', () => {
  it.each([
    ['/', '/'],
    ['/a/b?x', '/a/b'],
    ['/a//b/', '/a/b'],
    ['/%2e%2e/x', '/x'],
    ['/a/%2e%2e%2fb', null],
    ['/.env', null],
    ['/%E0%A4%A', null],
    ['/a%5cb', null],
  ])('%s → %s', (url, expected) => expect(routePath(url)).toBe(expected));
});
