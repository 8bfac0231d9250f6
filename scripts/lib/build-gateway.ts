import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Builds the gateway-only process (backend/src/gateway-main.ts) into plain JavaScript in
 * backend/dist/gateway/, so it runs on plain `node`: the tsx loader alone costs ~30 MiB of
 * RSS in every process it runs. Only our own code (backend, @patchpad/shared) is bundled;
 * packages stay imports from node_modules. The tokenizer is a chunk of its own, loaded on
 * first need. The Lua scripts sit beside the bundle, where `new URL('./lua/…', import.meta.url)`
 * finds them.
 */
/**
 * Node flags of the gateway process: it holds little beyond the calls in flight, and V8's
 * default young generation alone would take ~50 MiB. With a heap this small, V8's helper
 * threads cost more to wake and synchronise than the collections they share: collecting on
 * the main thread alone took 7–10% less CPU per call (bench:gateway A/B), and a young-generation
 * pause stays around a millisecond. package.json's start:gateway, docker-compose.yml and
 * `npm start` use these (test/compose.test.ts keeps them equal).
 */
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256', '--single-threaded-gc'];

/** Where the build puts the entry point. */
export const GATEWAY_ENTRY = 'backend/dist/gateway/gateway-main.js';

export async function buildGateway(root: string): Promise<string> {
  const outdir = resolve(root, 'backend/dist/gateway');
  rmSync(outdir, { recursive: true, force: true });
  const packagesStayExternal: Plugin = {
    name: 'packages-external',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@patchpad/') ? undefined : { path: args.path, external: true }));
    },
  };
  await build({
    entryPoints: [resolve(root, 'backend/src/gateway-main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [packagesStayExternal],
  });
  mkdirSync(join(outdir, 'lua'), { recursive: true });
  for (const domain of readdirSync(resolve(root, 'backend/src'), { withFileTypes: true })) {
    const lua = resolve(root, 'backend/src', domain.name, 'lua');
    if (!domain.isDirectory()) continue;
    for (const file of safeList(lua)) copyFileSync(join(lua, file), join(outdir, 'lua', file));
  }
  return join(outdir, 'gateway-main.js');
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.lua'));
  } catch {
    return [];
  }
}
