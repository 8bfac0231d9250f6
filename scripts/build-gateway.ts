import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGateway } from './lib/build-gateway';

/** `npm run build:gateway`: see scripts/lib/build-gateway.ts. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
buildGateway(root)
  .then((entry) => console.log(`gateway built: node ${entry}`))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
