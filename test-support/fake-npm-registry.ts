import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/**
 * An npm registry on loopback for tests and the benchmark: packuments (abbreviated form)
 * and .tgz tarballs built here, in memory, from fixture files, with the sha512 integrity
 * npm publishes. `tamper` serves other bytes than the integrity promises; `offline`
 * answers every request with a dropped connection, like a registry out of reach.
 */

export interface FixturePackage {
  name: string;
  version: string;
  files: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  /** dist-tags to point at this version (`latest` is the highest version unless set). */
  tags?: string[];
}

/** A ustar archive of `files` under `package/`, gzipped: what `npm pack` makes. */
export function makeTarball(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const full = `package/${path}`;
    const header = Buffer.alloc(512);
    let name = full;
    let prefix = '';
    if (Buffer.byteLength(full) > 100) {
      const cut = full.lastIndexOf('/', 154);
      prefix = full.slice(0, cut);
      name = full.slice(cut + 1);
    }
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.write(prefix, 345, 155);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

export interface FakeRegistry {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  tamper(id: string): void;
  offline(on: boolean): void;
  close(): Promise<void>;
}

const sri = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

export async function startFakeRegistry(packages: FixturePackage[]): Promise<FakeRegistry> {
  const tarballs = new Map<string, Buffer>();
  const tampered = new Set<string>();
  let isOffline = false;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (isOffline) return void req.socket.destroy();
    const tgz = /^\/-\/(.+)-(\d[^/]*)\.tgz$/.exec(path);
    if (tgz) {
      const id = `${tgz[1]}@${tgz[2]}`;
      let bytes = tarballs.get(id);
      if (!bytes) return void res.writeHead(404).end();
      if (tampered.has(id)) bytes = makeTarball({ 'package.json': '{"name":"evil","version":"6.6.6"}', 'index.js': 'module.exports = "tampered";' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
      return;
    }
    const name = path.slice(1);
    const versions = packages.filter((p) => p.name === name);
    if (versions.length === 0) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    const doc = {
      name,
      'dist-tags': {} as Record<string, string>,
      versions: {} as Record<string, unknown>,
    };
    for (const p of versions) {
      const id = `${p.name}@${p.version}`;
      const bytes = tarballs.get(id) as Buffer;
      doc.versions[p.version] = {
        name: p.name,
        version: p.version,
        dependencies: p.dependencies ?? {},
        peerDependencies: p.peerDependencies ?? {},
        dist: { tarball: `${base}/-/${p.name}-${p.version}.tgz`, integrity: sri(bytes), shasum: createHash('sha1').update(bytes).digest('hex') },
      };
      for (const tag of p.tags ?? []) doc['dist-tags'][tag] = p.version;
    }
    const releases = versions.map((p) => p.version).filter((v) => !v.includes('-'));
    doc['dist-tags'].latest ??= releases.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1) as string;
    res.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' }).end(JSON.stringify(doc));
  });
  for (const p of packages) {
    const manifest = { name: p.name, version: p.version, main: 'index.js', dependencies: p.dependencies, peerDependencies: p.peerDependencies };
    tarballs.set(`${p.name}@${p.version}`, makeTarball({ 'package.json': JSON.stringify(manifest), ...p.files }));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    requests,
    tamper: (id) => void tampered.add(id),
    offline: (on) => void (isOffline = on),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fixture packages of the kinds the preview meets: CJS with a dependency, ESM, a React peer, CSS. */
export const FIXTURE_PACKAGES: FixturePackage[] = [
  {
    name: 'tiny-greet',
    version: '1.2.0',
    dependencies: { 'tiny-case': '^2.0.0' },
    files: { 'index.js': "const { upper } = require('tiny-case');\nexports.greet = (name) => 'Hello, ' + upper(name) + '!';\n" },
  },
  { name: 'tiny-greet', version: '1.1.0', dependencies: { 'tiny-case': '^2.0.0' }, files: { 'index.js': "exports.greet = (name) => 'Old hello, ' + name;\n" } },
  { name: 'tiny-greet', version: '2.0.0-beta.1', tags: ['next'], files: { 'index.js': "exports.greet = () => 'beta';\n" } },
  { name: 'tiny-case', version: '2.3.1', files: { 'index.js': 'exports.upper = (s) => String(s).toUpperCase();\n' } },
  {
    name: '@fixture/esm-badge',
    version: '0.4.0',
    peerDependencies: { react: '>=18' },
    files: {
      'package.json': JSON.stringify({
        name: '@fixture/esm-badge',
        version: '0.4.0',
        type: 'module',
        exports: { '.': './index.js', './style.css': './style.css' },
        peerDependencies: { react: '>=18' },
      }),
      'index.js':
        "import { createElement } from 'react';\nimport './style.css';\nexport function Badge({ label }) { return createElement('span', { className: 'pp-badge' }, label); }\nexport default Badge;\n",
      'style.css': '.pp-badge { border: 2px solid rgb(255, 0, 0); padding: 2px; }\n',
    },
  },
];
