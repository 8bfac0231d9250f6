import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../http/errors';

/**
 * How the preview, on its own origin and without the user's ID token, is allowed to ask
 * for packages: the IDE (signed in) asks the API for a capability for one project, a
 * short-lived HMAC-signed token, and hands it to the runtime over the channel. It allows
 * package resolution only, is charged to that user's build allowance, and expires within
 * the hour (the runtime asks the IDE for a new one). Bundles themselves are public,
 * immutable files named by their hash: their content is public npm code.
 */

export interface Capability {
  uid: string;
  projectId: string;
  expiresAt: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export class CapabilitySigner {
  constructor(
    private readonly key: Buffer,
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  mint(uid: string, projectId: string): { token: string; expiresAt: number } {
    const expiresAt = this.now() + this.ttlMs;
    const body = b64(JSON.stringify({ u: uid, p: projectId, e: expiresAt }));
    return { token: `v1.${body}.${this.sign(body)}`, expiresAt };
  }

  /** Throws 401 `capability_invalid` or `capability_expired`. */
  verify(token: string | undefined): Capability {
    const invalid = () =>
      new AppError(401, 'capability_invalid', 'The preview has no valid package capability; the IDE hands it a new one (reload the preview if this persists).');
    const [version, body, signature] = (token ?? '').split('.');
    if (version !== 'v1' || !body || !signature) throw invalid();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    let payload: { u?: unknown; p?: unknown; e?: unknown };
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      throw invalid();
    }
    if (typeof payload.u !== 'string' || typeof payload.p !== 'string' || typeof payload.e !== 'number') throw invalid();
    if (payload.e <= this.now()) throw new AppError(401, 'capability_expired', "The preview's package capability expired; the IDE hands it a new one.");
    return { uid: payload.u, projectId: payload.p, expiresAt: payload.e };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`patchpad-preview-packages\0${body}`).digest('base64url');
  }
}

/** PREVIEW_CAPABILITY_KEY, else (development) a random key kept in DATA_DIR, made once. */
export async function resolveCapabilityKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = join(dataDir, 'preview-capability.key');
  await mkdir(dataDir, { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, randomBytes(32).toString('hex'), { mode: 0o600 });
  try {
    await link(tmp, file); // the first process to start wins; nobody reads a half-written key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp);
  }
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'utf8');
}
