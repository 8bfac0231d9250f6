import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The audit log's HMAC key: AUDIT_HMAC_KEY when set (required in production, where every API
 * process must share it); otherwise, for local use, a random key kept in DATA_DIR and made on
 * first start. Either way it lives outside Redis, which is the point of keying the chain.
 */
export async function resolveAuditKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = join(dataDir, 'audit-hmac.key');
  await mkdir(dataDir, { recursive: true });
  // Written whole to a temp file, then linked into place: of several processes starting at
  // once, one key wins and nobody ever reads a half-written file.
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, randomBytes(32).toString('hex'), { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp);
  }
  const key = (await readFile(file, 'utf8')).trim();
  if (key.length < 32) throw new Error(`${file} holds no usable audit key; delete it to make a new one, or set AUDIT_HMAC_KEY`);
  return Buffer.from(key, 'utf8');
}
