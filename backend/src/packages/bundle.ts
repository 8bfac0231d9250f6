import * as esbuild from 'esbuild';
import { packageError } from './errors';

/**
 * One import specifier of an installed tree → one file the preview loads: CommonJS for
 * code (ESM and CJS packages alike, development build, CSS the package imports injected
 * as a style), or the CSS itself for a stylesheet import. The shared packages and peers
 * stay `require` calls, reported so the preview loads them once, from the cache or here.
 */

export interface BundleResult {
  kind: 'script' | 'style';
  code: string;
  /** Package specifiers the bundle still requires (externals). */
  requires: string[];
}

export const BUNDLER_VERSION = 1;

const packageNameOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Injects a package's CSS when its module runs (the preview has no CSS pipeline for packages). */
const injectCss = (css: string) =>
  `(function(){if(typeof document==='undefined')return;var s=document.createElement('style');s.setAttribute('data-pp-package','');s.textContent=${JSON.stringify(css)};document.head.appendChild(s);})();\n`;

export async function bundleSpecifier(specifier: string, folder: string, externals: ReadonlySet<string>, maxBytes: number): Promise<BundleResult> {
  const isStyle = /\.css$/i.test(specifier);
  const required = new Set<string>();
  const keepExternal: esbuild.Plugin = {
    name: 'preview-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.importer === '<stdin>' || args.kind === 'import-rule' || args.kind === 'url-token') return undefined;
        if (!externals.has(packageNameOf(args.path))) return undefined;
        required.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
  let result: esbuild.BuildResult;
  try {
    result = await esbuild.build({
      stdin: isStyle
        ? { contents: `@import ${JSON.stringify(specifier)};`, resolveDir: folder, loader: 'css' }
        : { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir: folder, loader: 'js' },
      absWorkingDir: folder,
      bundle: true,
      write: false,
      outdir: 'out',
      format: 'cjs',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
      loader: { '.png': 'dataurl', '.jpg': 'dataurl', '.gif': 'dataurl', '.svg': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
      plugins: [keepExternal],
    });
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? (error as Error).message;
    throw packageError('build_failed', `"${specifier}" could not be bundled for the preview: ${first}`);
  }
  const outputs = result.outputFiles ?? [];
  const js = outputs.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = outputs.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const code = isStyle ? css : css ? injectCss(css) + js : js;
  if (Buffer.byteLength(code) > maxBytes) {
    throw packageError('package_too_large', `"${specifier}" bundles to more than ${maxBytes} bytes (PACKAGES_MAX_BUNDLE_BYTES).`);
  }
  return { kind: isStyle ? 'style' : 'script', code, requires: [...required].sort() };
}
