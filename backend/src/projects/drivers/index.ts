import type { BackendConfig } from '../../config';
import type { Logger } from '../../log';
import type { ProjectStore } from '../store';
import { join } from 'node:path';

/** Picks the storage driver from config; drivers are loaded on demand. */
export async function createProjectStore(config: BackendConfig, logger: Logger): Promise<ProjectStore> {
  if (config.STORAGE_DRIVER === 'fs') {
    const { createFsProjectStore } = await import('./fs');
    return createFsProjectStore(join(config.DATA_DIR, 'store'));
  }
  const { createB2ProjectStore } = await import('./b2');
  return createB2ProjectStore({
    keyId: config.B2_KEY_ID!,
    applicationKey: config.B2_APPLICATION_KEY!,
    bucketId: config.B2_BUCKET_ID!,
    bucketName: config.B2_BUCKET_NAME!,
    keyPrefix: config.B2_KEY_PREFIX,
    authorizeUrl: config.B2_AUTHORIZE_URL,
    onRetry: (e) => logger.warn({ b2: e }, `B2 ${e.op}: ${e.status ?? 'no answer'} ${e.code}, retrying (try ${e.attempt + 1})`),
  });
}
