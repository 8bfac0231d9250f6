import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ProjectFiles, VersionManifest } from '@patchpad/shared';
import type { BlobFence } from './blob-fence';
import type { ProjectStore } from './store';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export type ManifestFiles = VersionManifest['files'];

/** Store calls in flight at once for one save or load (B2 likes a few parallel uploads, not hundreds). */
const PARALLEL = 16;

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Manifest entries for `files`, and the text of each hash (what an upload would need). */
export function describeFiles(files: ProjectFiles): { entries: ManifestFiles; contents: Map<string, string> } {
  const entries: ManifestFiles = {};
  const contents = new Map<string, string>();
  for (const [path, text] of Object.entries(files)) {
    const hash = sha256(text);
    entries[path] = { sha256: hash, size: Buffer.byteLength(text) };
    contents.set(hash, text);
  }
  return { entries, contents };
}

export function sameEntries(a: ManifestFiles, b: ManifestFiles): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && b[k]!.sha256 === a[k]!.sha256);
}

/** The text of the given paths (default: all) of a manifest. */
export async function readFiles(store: ProjectStore, files: ManifestFiles, paths: readonly string[] = Object.keys(files)): Promise<ProjectFiles> {
  const bodies = await mapLimit(paths, PARALLEL, async (p) => (await gunzipAsync(await store.getBlob(files[p]!.sha256))).toString('utf8'));
  const out: ProjectFiles = {};
  paths.forEach((p, i) => (out[p] = bodies[i]!));
  return out;
}

export type WriteStats = { uploaded: number; uploadedBytes: number };

/**
 * Writes one version: pins every blob it references (see BlobFence), uploads those the store
 * lacks, then the manifest. `stored` are hashes a live manifest of this project references
 * (so they exist and need no check); `contents` holds the text of every other hash. Blobs
 * first, manifest second: a crash part-way leaves only unreferenced blobs for the collector.
 */
export async function writeVersion(
  deps: { store: ProjectStore; fence: BlobFence },
  uid: string,
  manifest: VersionManifest,
  contents: ReadonlyMap<string, string>,
  stored: ReadonlySet<string>,
): Promise<WriteStats> {
  const hashes = [...new Set(Object.values(manifest.files).map((e) => e.sha256))];
  await deps.fence.pin(hashes);
  const stats: WriteStats = { uploaded: 0, uploadedBytes: 0 };
  await mapLimit(
    hashes.filter((h) => !stored.has(h)),
    PARALLEL,
    async (hash) => {
      if (await deps.store.hasBlob(hash)) return;
      const text = contents.get(hash);
      if (text === undefined) throw new Error(`blob ${hash} is missing and this save does not have its text`);
      const body = await gzipAsync(text);
      await deps.store.putBlob(hash, body);
      stats.uploaded++;
      stats.uploadedBytes += body.length;
    },
  );
  await deps.store.putManifest(uid, manifest);
  return stats;
}
