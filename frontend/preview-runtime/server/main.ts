import pino from 'pino';
import { z } from 'zod';
import { buildPackageCache, parsePackageList } from '../packages/build';
import { BUILD_COMMAND, buildRuntime, runtimeIsStale } from './build-runtime';
import { createPreviewServer, DEFAULT_DIST_DIR } from './server';

/**
 * The `preview` process: `tsx frontend/preview-runtime/server/main.ts`. Serves the
 * preview runtime on its own origin (http://127.0.0.1:5174 by default). Rebuilds the
 * runtime first when `dist/` is missing or older than its sources, and the package cache
 * when the installed versions or PREVIEW_PACKAGES changed.
 */

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const envSchema = z.object({
  PREVIEW_PORT: z.coerce.number().int().min(0).max(65535).default(5174),
  PREVIEW_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Extra npm packages for the offline package cache (must be installed in the frontend workspace). */
  PREVIEW_PACKAGES: z.string().default(''),
  /** IDE origins allowed to frame the runtime, e.g. `http://localhost:5173`; empty = any. */
  PREVIEW_ALLOWED_PARENT_ORIGINS: csv.pipe(
    z.array(
      z
        .string()
        .url()
        .refine((u) => new URL(u).origin === u, 'must be an origin like http://localhost:5173 (no path)'),
    ),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`Invalid ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  const logger = pino({ level: env.LOG_LEVEL, base: { service: 'preview' } });
  const packages = parsePackageList(env.PREVIEW_PACKAGES);

  if (runtimeIsStale()) {
    logger.info({ distDir: DEFAULT_DIST_DIR }, 'building the preview runtime (dist is missing or stale)');
    try {
      await buildRuntime();
    } catch (error) {
      logger.fatal({ err: error, run: BUILD_COMMAND }, `could not build the preview runtime; run: ${BUILD_COMMAND}`);
      process.exit(1);
    }
  } else {
    // Cheap when nothing changed: the cache folder is named by a hash of what goes in.
    await buildPackageCache({ distDir: DEFAULT_DIST_DIR, packages, log: (line) => logger.info(line) });
  }

  const server = createPreviewServer({ distDir: DEFAULT_DIST_DIR, logger, allowedParentOrigins: env.PREVIEW_ALLOWED_PARENT_ORIGINS });
  server.on('error', (error) => {
    logger.fatal({ err: error, host: env.PREVIEW_HOST, port: env.PREVIEW_PORT }, 'preview server failed to listen');
    process.exit(1);
  });
  server.listen(env.PREVIEW_PORT, env.PREVIEW_HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PREVIEW_PORT;
    const host = env.PREVIEW_HOST.includes(':') ? `[${env.PREVIEW_HOST}]` : env.PREVIEW_HOST;
    logger.info({ url: `http://${host}:${port}`, packages: ['react', 'react-dom', ...packages] }, 'preview runtime listening');
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'preview server shutting down');
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
