import express, { type RequestHandler, type Router } from 'express';
import type { BackendConfig } from '../config';
import type { RedisClient } from '@patchpad/shared/server';
import type { Logger } from '../log';
import type { ProjectStore } from '../projects/store';
import { RedisBuildLimit } from './build-limit';
import { CapabilitySigner, resolveCapabilityKey } from './capability';
import { TreeInstaller } from './install';
import { loadRegistrySettings } from './npmrc';
import { PackageRecords } from './records';
import { NpmRegistry } from './registry';
import { PackageService } from './service';
import { packageRoutes } from './routes';

export { PackageService } from './service';

/** Builds the package service from config (wiring.ts) and its router (mounted at /api/packages). */
export async function createPackages(
  config: BackendConfig,
  deps: { store: ProjectStore; redis: RedisClient; logger: Logger; env?: Record<string, string | undefined> },
) {
  const settings = await loadRegistrySettings(config.PACKAGES_REGISTRY, config.PACKAGES_NPMRC, deps.env ?? process.env);
  const registry = new NpmRegistry({ settings, timeoutMs: config.PACKAGES_FETCH_TIMEOUT_MS, maxTarballBytes: config.PACKAGES_MAX_TARBALL_BYTES });
  const policy = { allow: config.PACKAGES_ALLOW, deny: config.PACKAGES_DENY };
  const install = {
    tar: { maxUnpackedBytes: config.PACKAGES_MAX_UNPACKED_BYTES, maxFiles: config.PACKAGES_MAX_FILES },
    maxDependencies: config.PACKAGES_MAX_DEPENDENCIES,
  };
  const records = new PackageRecords(deps.store);
  const service = new PackageService({
    records,
    policy,
    install,
    installer: () => new TreeInstaller({ registry, policy, ...install }),
    maxBundleBytes: config.PACKAGES_MAX_BUNDLE_BYTES,
    limit: new RedisBuildLimit(deps.redis, config.REDIS_PREFIX, config.PACKAGES_BUILDS_PER_HOUR),
    log: deps.logger.child({ domain: 'packages' }),
  });
  const capabilities = new CapabilitySigner(await resolveCapabilityKey(config.PREVIEW_CAPABILITY_KEY, config.DATA_DIR));
  deps.logger.info({ registry: settings.registry }, 'preview packages from this registry');
  const router = (ideCors: RequestHandler, requireUser: RequestHandler[]): Router =>
    packageRoutes({ service, capabilities, ideCors, requireUser: [...requireUser, express.json({ limit: '4kb' })], readFile: (sha) => records.file(sha) });
  return { service, capabilities, router };
}
export type Packages = Awaited<ReturnType<typeof createPackages>>;
