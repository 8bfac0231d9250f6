/**
 * What a browser downloads: the first load (sign-in page and project list: the entry script
 * and every chunk index.html preloads) and Monaco (loaded when a project opens), gzip.
 *
 *   npm run bench:bundle
 *
 * Builds the SPA with its real config into a scratch folder. Baselines, built in the same
 * run: a bare React page (react + react-dom rendering one element: the floor for any React
 * SPA) and "everything eager" (every chunk the IDE route needs, which is what the first load
 * was before the IDE was split off). Last line: `bundle first_load_gz_kb=<x> monaco_gz_kb=<y>`.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = join(root, 'bench/.cache/bundle');

type ManifestChunk = { file: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
type Manifest = Record<string, ManifestChunk>;

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gz = async (dir: string, file: string) => gzipSync(await readFile(join(dir, file)), { level: 9 }).length;

/** The chunk and everything it imports statically (what loading it costs), as file names. */
function closure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(manifest, dep, seen);
  return seen;
}
const files = (manifest: Manifest, keys: Iterable<string>) => new Set([...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js')));

async function sizeOf(dir: string, names: Iterable<string>): Promise<number> {
  let n = 0;
  for (const f of names) n += await gz(dir, f);
  return n;
}

async function buildSpa(outDir: string): Promise<Manifest> {
  await build({
    configFile: join(root, 'frontend/vite.config.ts'),
    root: join(root, 'frontend'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  return JSON.parse(await readFile(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/** A page that renders one React element: what React itself costs. */
async function bareReact(): Promise<number> {
  const dir = join(cache, 'bare-react');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="./main.js"></script>');
  await writeFile(
    join(dir, 'main.js'),
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('p', null, 'hello'));\n",
  );
  const outDir = join(dir, 'dist');
  await build({ root: dir, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const assets = await readdir(join(outDir, 'assets'));
  return sizeOf(
    join(outDir, 'assets'),
    assets.filter((f) => f.endsWith('.js')),
  );
}

async function main(): Promise<void> {
  const outDir = join(cache, 'spa');
  const manifest = await buildSpa(outDir);
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const firstLoad = files(manifest, closure(manifest, entry));
  const firstBytes = await sizeOf(outDir, firstLoad);

  const byName = (pattern: RegExp) => Object.keys(manifest).find((k) => pattern.test(k));
  const editorKey = byName(/src\/editor\/CodeEditor\.tsx$/)!;
  const ideKey = byName(/src\/ide\/IdePage\.tsx$/)!;
  const previewKey = byName(/src\/preview\/PreviewPane\.tsx$/)!;
  const monaco = [...files(manifest, closure(manifest, editorKey))].filter((f) => !firstLoad.has(f));
  const monacoBytes = await sizeOf(outDir, monaco);
  const workers = (await readdir(join(outDir, 'assets'))).filter((f) => /\.worker-.*\.js$/.test(f));
  const workerBytes = await sizeOf(join(outDir, 'assets'), workers);
  const ide = new Set([...firstLoad, ...files(manifest, [...closure(manifest, ideKey), ...closure(manifest, editorKey), ...closure(manifest, previewKey)])]);
  const eagerBytes = await sizeOf(outDir, ide);
  const previewOnly = [...files(manifest, closure(manifest, previewKey))].filter((f) => !firstLoad.has(f));
  const previewBytes = await sizeOf(outDir, previewOnly);
  const reactBytes = await bareReact();

  const row = (what: string, bytes: number, note = '') => console.log(`${what.padEnd(44)} ${String(kb(bytes)).padStart(8)} KB gzip  ${note}`);
  row('first load (sign-in, project list)', firstBytes, `${firstLoad.size} file(s); budget 250 KB`);
  row('Monaco (on opening a project)', monacoBytes, `${monaco.length} chunk(s)`);
  row('Sandpack preview (on opening a project)', previewBytes);
  row('Monaco workers (local, started on demand)', workerBytes, `${workers.length} workers, never from a CDN`);
  row('baseline: bare React page', reactBytes);
  row('baseline: everything eager (whole IDE route)', eagerBytes);
  console.log(`first load / bare React      = ${(firstBytes / reactBytes).toFixed(2)}x`);
  console.log(`first load / everything eager = ${(firstBytes / eagerBytes).toFixed(3)} (${(eagerBytes / firstBytes).toFixed(1)}x smaller)`);
  await rm(join(cache, 'bare-react', 'dist'), { recursive: true, force: true });
  console.log(`bundle first_load_gz_kb=${kb(firstBytes)} monaco_gz_kb=${kb(monacoBytes)}`);
}

await main();
