import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { PackageManifest } from './manifest';

/**
 * Builds the preview's package cache from the installed node_modules: each import
 * specifier (`react`, `react-dom/client`, …) becomes one CommonJS bundle in which every
 * other cached specifier stays a `require` — so React is one instance for the app and for
 * react-dom. Output: `<distDir>/packages/<version>/…` + `<distDir>/packages/manifest.json`.
 * The version is a hash of what went in, so an unchanged install is not rebuilt.
 */

const BUILDER_VERSION = 2;
const MAX_ENTRIES_PER_PACKAGE = 40;

/** Always in the cache, with the entries the react-ts template and JSX need. */
const CORE_ENTRIES: Record<string, string[]> = {
  react: ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime'],
  'react-dom': ['react-dom', 'react-dom/client'],
  // Fast Refresh; its development build (the bundles inline NODE_ENV=development).
  'react-refresh': ['react-refresh/runtime'],
};

export interface BuildPackagesOptions {
  distDir: string;
  /** Extra package names (the PREVIEW_PACKAGES allowlist). */
  packages?: readonly string[];
  /** Where node_modules lookup starts; defaults to the frontend workspace. */
  resolveFrom?: string;
  log?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Parses PREVIEW_PACKAGES (`lodash, date-fns,@scope/pkg`). */
export function parsePackageList(value: string | undefined): string[] {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) {
      throw new Error(`PREVIEW_PACKAGES: "${name}" is not an npm package name`);
    }
  }
  return [...new Set(names)];
}

function findPackageDir(name: string, from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function entriesOf(name: string, pkg: { exports?: unknown }): string[] {
  const core = CORE_ENTRIES[name];
  if (core) return core;
  const exportsField = pkg.exports;
  if (typeof exportsField !== 'object' || exportsField === null || Array.isArray(exportsField)) return [name];
  const keys = Object.keys(exportsField);
  if (!keys.every((k) => k.startsWith('.'))) return [name]; // conditions only: one entry
  return keys
    .filter((k) => !k.includes('*') && !k.endsWith('.json') && !k.endsWith('.css') && !k.endsWith('/'))
    .map((k) => (k === '.' ? name : `${name}/${k.slice(2)}`))
    .slice(0, MAX_ENTRIES_PER_PACKAGE);
}

const REQUIRE_CALL = /\brequire\("([^"]+)"\)/g;

async function bundle(specifier: string, entries: ReadonlySet<string>, resolveDir: string): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [
      {
        name: 'cache-externals',
        setup(build) {
          // Another cached entry stays a require: one instance shared by all bundles.
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.importer !== '<stdin>' && entries.has(args.path) ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${specifier}`);
  return file.text;
}

export async function buildPackageCache(options: BuildPackagesOptions): Promise<PackageManifest> {
  const log = options.log ?? (() => undefined);
  const from = options.resolveFrom ?? resolve(here, '..', '..');
  const names = [...new Set([...Object.keys(CORE_ENTRIES), ...(options.packages ?? [])])];
  const packages: Record<string, string> = {};
  const plan: Array<{ name: string; version: string; specifier: string; dir: string }> = [];
  const problems: string[] = [];
  for (const name of names) {
    const dir = findPackageDir(name, from);
    if (!dir) {
      problems.push(`${name} is not installed (npm i -w frontend ${name})`);
      continue;
    }
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string; exports?: unknown };
    packages[name] = pkg.version;
    for (const specifier of entriesOf(name, pkg)) plan.push({ name, version: pkg.version, specifier, dir });
  }
  if (problems.length > 0) throw new Error(`Preview package cache: ${problems.join('; ')}`);

  const version = createHash('sha256')
    .update(JSON.stringify({ BUILDER_VERSION, esbuild: esbuild.version, plan: plan.map((p) => `${p.specifier}@${p.version}`).sort() }))
    .digest('hex')
    .slice(0, 16);
  const root = join(options.distDir, 'packages');
  const folder = join(root, version);
  const manifestPath = join(root, 'manifest.json');
  if (existsSync(join(folder, '.complete')) && existsSync(manifestPath)) {
    const existing = JSON.parse(await readFile(manifestPath, 'utf8')) as PackageManifest;
    if (existing.version === version) return existing;
  }

  const entrySet = new Set(plan.map((p) => p.specifier));
  const manifest: PackageManifest = { formatVersion: 1, version, base: `/packages/${version}/`, packages, entries: {}, requires: {} };
  await rm(folder, { recursive: true, force: true });
  await Promise.all(
    plan.map(async ({ name, version: v, specifier, dir }) => {
      let code: string;
      try {
        code = await bundle(specifier, entrySet, dir);
      } catch (error) {
        if (CORE_ENTRIES[name]) throw error;
        log(`skipping ${specifier}: ${(error as Error).message.split('\n')[0]}`);
        return;
      }
      const sub = specifier === name ? 'index' : specifier.slice(name.length + 1);
      const file = `${name}@${v}/${sub}.js`;
      await mkdir(dirname(join(folder, file)), { recursive: true });
      await writeFile(join(folder, file), code);
      manifest.entries[specifier] = file;
      manifest.requires[specifier] = [...code.matchAll(REQUIRE_CALL)].map((m) => m[1] as string).filter((s) => entrySet.has(s) && s !== specifier);
    }),
  );
  await writeFile(join(folder, '.complete'), '');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const old of await readdir(root)) {
    if (old !== version && old !== 'manifest.json') await rm(join(root, old), { recursive: true, force: true });
  }
  log(`package cache ${version}: ${Object.keys(manifest.entries).length} entries from ${Object.keys(packages).join(', ')}`);
  return manifest;
}
