import type { BackendConfig } from '../../config';
import type { ProjectStore } from '../store';
import { join } from 'node:path';

/** Picks the storage driver from config; drivers are loaded on demand. */
export async function createProjectStore(config: BackendConfig): Promise<ProjectStore> {
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
  });
}
