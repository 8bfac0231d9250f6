import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { buildPackageCache, parsePackageList } from './packages/build.ts';

/**
 * The preview runtime's own build (nothing from the IDE's bundle): the runtime page and
 * script into `preview-runtime/dist/`, then the package cache into `dist/packages/`.
 * `PREVIEW_PACKAGES` (comma-separated) adds packages to the cache.
 */
const root = dirname(fileURLToPath(import.meta.url));
const distDir = resolve(root, 'dist');

function packageCache(): Plugin {
  return {
    name: 'patchpad-preview-package-cache',
    apply: 'build',
    async closeBundle() {
      await buildPackageCache({
        distDir,
        packages: parsePackageList(process.env.PREVIEW_PACKAGES),
        log: (line) => this.info(line),
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: distDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsDir: 'assets',
  },
  plugins: [packageCache()],
});
