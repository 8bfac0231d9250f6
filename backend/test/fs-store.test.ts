import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsProjectStore } from '../src/projects/drivers/fs';
import { projectStoreContract } from './store-contract';

projectStoreContract('fs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'patchpad-store-'));
  return { store: createFsProjectStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
});
