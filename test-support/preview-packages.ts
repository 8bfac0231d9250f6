import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorHandler } from '../backend/src/http/errors';
import { createFsProjectStore } from '../backend/src/projects/drivers/fs';
import { CapabilitySigner } from '../backend/src/packages/capability';
import { TreeInstaller } from '../backend/src/packages/install';
import { registrySettings } from '../backend/src/packages/npmrc';
import { PackageRecords } from '../backend/src/packages/records';
import { NpmRegistry } from '../backend/src/packages/registry';
import { packageRoutes } from '../backend/src/packages/routes';
import { PackageService } from '../backend/src/packages/service';

/**
 * The backend's package service, alone, for the preview's browser tests and benchmark:
 * the real service, routes and fs store, against a given registry, on loopback. Sign-in
 * is not part of it: `mint` hands out capabilities as the API does for a signed-in user.
 */

export interface PackageServiceEnv {
  /** Absolute URL the preview calls (`http://127.0.0.1:<port>/api/packages`). */
  url: string;
  service: PackageService;
  mint(projectId: string): string;
  close(): Promise<void>;
}

export async function startPackageService(registryUrl: string, options: { dataDir?: string } = {}): Promise<PackageServiceEnv> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'pp-packages-')));
  const store = createFsProjectStore(join(dataDir, 'store'));
  const registry = new NpmRegistry({ settings: registrySettings(registryUrl, {}, []), timeoutMs: 20_000, maxTarballBytes: 20 * 1024 * 1024 });
  const policy = { allow: [], deny: [] };
  const install = { tar: { maxUnpackedBytes: 80 * 1024 * 1024, maxFiles: 20_000 }, maxDependencies: 150 };
  const records = new PackageRecords(store);
  const service = new PackageService({
    records,
    policy,
    install,
    installer: () => new TreeInstaller({ registry, policy, ...install }),
    maxBundleBytes: 10 * 1024 * 1024,
    log: { info: () => undefined, warn: () => undefined },
  });
  const capabilities = new CapabilitySigner(Buffer.from('preview-test-capability-key-0123456789abcdef'));
  const app = express();
  const none: express.RequestHandler = (_req, _res, next) => next();
  app.use('/api/packages', packageRoutes({ service, capabilities, ideCors: none, requireUser: [none], readFile: (sha) => records.file(sha) }));
  app.use(errorHandler);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/packages`,
    service,
    mint: (projectId) => capabilities.mint('preview-test-user', projectId).token,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
