import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { packageError } from './errors';

/**
 * A package tarball: its integrity checked against the registry's `dist.integrity`
 * (SRI, sha512 preferred) or `dist.shasum`, then read as ustar/pax in memory. Only regular
 * files are kept (no links, no devices), under paths that cannot climb out. Pure.
 */

export interface TarLimits {
  maxUnpackedBytes: number;
  maxFiles: number;
}

export type PackageFiles = Map<string, Buffer>;

/** Throws `integrity_mismatch` unless `bytes` match the strongest hash the registry gave. */
export function verifyIntegrity(id: string, bytes: Buffer, integrity: string | undefined, shasum: string | undefined): void {
  const entries = (integrity ?? '')
    .split(/\s+/)
    .map((entry) => /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null);
  const rank = ['sha1', 'sha256', 'sha384', 'sha512'];
  entries.sort((a, b) => rank.indexOf(b[1] as string) - rank.indexOf(a[1] as string));
  const best = entries[0];
  if (best) {
    const algorithm = best[1] as string;
    const actual = createHash(algorithm).update(bytes).digest('base64');
    if (entries.filter((e) => e[1] === algorithm).some((e) => e[2] === actual)) return;
    throw packageError(
      'integrity_mismatch',
      `${id}: the tarball's ${algorithm} does not match the registry's integrity; it was refused and nothing was stored. The registry or a proxy served other bytes than it published.`,
    );
  }
  if (shasum && /^[0-9a-f]{40}$/i.test(shasum)) {
    if (createHash('sha1').update(bytes).digest('hex') === shasum.toLowerCase()) return;
    throw packageError('integrity_mismatch', `${id}: the tarball's sha1 does not match the registry's shasum; it was refused and nothing was stored.`);
  }
  throw packageError('integrity_mismatch', `${id}: the registry gives no integrity or shasum for this version, so it cannot be checked; refused.`);
}

const text = (block: Buffer, start: number, length: number) => {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
};
const octal = (block: Buffer, start: number, length: number) => parseInt(text(block, start, length).trim() || '0', 8);

/** `package/lib/x.js` → `lib/x.js`; null for anything unsafe or outside the package folder. */
export function packagePath(entry: string): string | null {
  const parts = entry
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length < 2 || parts.some((p) => p === '..' || p.includes('\0'))) return null;
  return parts.slice(1).join('/');
}

function paxPath(data: Buffer): string | null {
  for (const record of data.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1] as string;
  }
  return null;
}

/** Unpacks a .tgz; throws `package_too_large` past the limits. */
export function untar(id: string, gzipped: Buffer, limits: TarLimits): PackageFiles {
  let tar: Buffer;
  try {
    tar = gunzipSync(gzipped, { maxOutputLength: limits.maxUnpackedBytes + 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw packageError('package_too_large', `${id} unpacks to more than ${limits.maxUnpackedBytes} bytes (PACKAGES_MAX_UNPACKED_BYTES)`);
    }
    throw packageError('build_failed', `${id}: the tarball is not valid gzip (${(error as Error).message})`);
  }
  const files: PackageFiles = new Map();
  let offset = 0;
  let longName: string | null = null;
  let total = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'L') {
      longName = type === 'x' ? paxPath(data) : text(data, 0, data.length);
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = null;
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    const path = packagePath(name);
    if (path === null) continue;
    total += size;
    if (files.size >= limits.maxFiles) throw packageError('package_too_large', `${id} has more than ${limits.maxFiles} files (PACKAGES_MAX_FILES)`);
    if (total > limits.maxUnpackedBytes)
      throw packageError('package_too_large', `${id} unpacks to more than ${limits.maxUnpackedBytes} bytes (PACKAGES_MAX_UNPACKED_BYTES)`);
    files.set(path, Buffer.from(data));
  }
  if (!files.has('package.json')) throw packageError('build_failed', `${id}: the tarball has no package.json`);
  return files;
}
