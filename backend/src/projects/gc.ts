import type { Logger } from '../log';
import type { BlobFence } from './blob-fence';
import { eachPage, type ProjectStore } from './store';

export type GcReport = {
  manifests: number;
  blobs: number;
  deleted: number;
  /** Unreferenced, but a save holds a pin on them (or did a moment ago). */
  pinned: number;
  /** Unreferenced, but younger than the grace period. */
  young: number;
  /** The sweep stopped before the end because the run got too old to trust its mark (see below). */
  stoppedEarly: boolean;
};

export interface GcOptions {
  /** Unreferenced blobs younger than this are kept (belt and braces next to the pins). */
  graceMs?: number;
  pageSize?: number;
}

class SweepTooOld extends Error {}

/**
 * Mark and sweep over the whole store: mark every blob any manifest references, then delete
 * the rest, each only after BlobFence.doom (so never a blob a save has pinned: one about to
 * be referenced by a manifest written after the mark). Blobs of a save whose manifest write
 * failed are unreferenced once its pins lapse, and go on a later run.
 *
 * The mark is a snapshot: a manifest written after it is trusted only through its save's
 * pins, which last `fence.pinMs`. So the sweep stops once the run is half that old; the next
 * run marks afresh and goes on.
 */
export async function collectGarbage(deps: { store: ProjectStore; fence: BlobFence; log?: Logger }, options: GcOptions = {}): Promise<GcReport> {
  const { store, fence } = deps;
  const graceMs = options.graceMs ?? 60 * 60_000;
  const limit = options.pageSize ?? 500;
  const started = Date.now();
  await fence.prune();
  const referenced = new Set<string>();
  const report: GcReport = { manifests: 0, blobs: 0, deleted: 0, pinned: 0, young: 0, stoppedEarly: false };
  await eachPage(
    (after) => store.scanManifests({ ...(after === undefined ? {} : { after }), limit }),
    (manifests) => {
      report.manifests += manifests.length;
      for (const m of manifests) for (const e of Object.values(m.files)) referenced.add(e.sha256);
    },
  );
  try {
    await eachPage(
      (after) => store.listBlobs({ ...(after === undefined ? {} : { after }), limit }),
      async (blobs) => {
        for (const blob of blobs) {
          report.blobs++;
          if (referenced.has(blob.sha256)) continue;
          if (blob.storedAt > started - graceMs) {
            report.young++;
            continue;
          }
          if (Date.now() - started > fence.pinMs / 2) throw new SweepTooOld();
          if (!(await fence.doom(blob.sha256))) {
            report.pinned++;
            continue;
          }
          try {
            await store.deleteBlob(blob.sha256);
            report.deleted++;
          } finally {
            await fence.release(blob.sha256);
          }
        }
      },
    );
  } catch (err) {
    if (!(err instanceof SweepTooOld)) throw err;
    report.stoppedEarly = true;
  }
  deps.log?.info({ gc: report, ms: Date.now() - started }, 'blob garbage collection done');
  return report;
}
