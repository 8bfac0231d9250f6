import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { VersionManifest } from '@patchpad/shared';
import { BlobFence, type FenceOptions } from '../src/projects/blob-fence';
import { describeFiles, writeVersion } from '../src/projects/content';
import { collectGarbage } from '../src/projects/gc';
import type { ProjectStore } from '../src/projects/store';
import { deleteKeys, REDIS_URL } from './support';

/**
 * The blob collector against a driver (part of the store contract): what it collects, and
 * that it never deletes a blob a save in progress counts on, whatever the interleaving.
 * Saves here are the real write path (content.ts writeVersion) with the real Redis fence.
 */
export function blobGcContract(driver: string, make: () => Promise<{ store: ProjectStore; cleanup: () => Promise<void> }>, concurrentSaves = 200) {
  describe(`blob garbage collection: ${driver}`, () => {
    const redis = new Redis(REDIS_URL);
    const prefix = `gc${Math.random().toString(36).slice(2, 8)}`;
    let fences = 0;
    const fence = (options: FenceOptions = {}) => new BlobFence(redis, `${prefix}${fences++}`, options);
    afterAll(async () => {
      await deleteKeys(redis, `${prefix}*`);
      redis.disconnect();
    });

    const withStore = (fn: (store: ProjectStore) => Promise<void>) => async () => {
      const { store, cleanup } = await make();
      try {
        await fn(store);
      } finally {
        await cleanup();
      }
    };

    let seq = 0;
    /** A version of `files` as the service would write it. */
    const version = (files: Record<string, string>) => {
      const { entries, contents } = describeFiles(files);
      const manifest: VersionManifest = {
        id: `20260101T000000000Z-${String(seq++).padStart(6, '0')}`,
        projectId: 'p1',
        createdAt: new Date().toISOString(),
        files: entries,
      };
      return { manifest, contents };
    };
    const save = (deps: { store: ProjectStore; fence: BlobFence }, files: Record<string, string>) => {
      const { manifest, contents } = version(files);
      return writeVersion(deps, 'alice', manifest, contents, new Set()).then(() => manifest);
    };
    const orphan = async (store: ProjectStore, text: string) => {
      const { manifest, contents } = version({ 'x.txt': text });
      const sha = manifest.files['x.txt']!.sha256;
      await store.putBlob(sha, gzipSync(contents.get(sha)!));
      return sha;
    };
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((r) => (open = r));
      return { open, opened };
    };

    it(
      'collects blobs no manifest references, and keeps referenced and young ones',
      withStore(async (store) => {
        const f = fence();
        const kept = await save({ store, fence: f }, { 'a.txt': 'kept a', 'b.txt': 'kept b' });
        const loose = await orphan(store, 'loose');
        const young = await collectGarbage({ store, fence: f });
        expect(young).toMatchObject({ deleted: 0, young: 1 });
        const report = await collectGarbage({ store, fence: fence() }, { graceMs: 0 });
        expect(report).toMatchObject({ manifests: 1, blobs: 3, deleted: 1 });
        expect(await store.hasBlob(loose)).toBe(false);
        for (const e of Object.values(kept.files)) expect(await store.hasBlob(e.sha256)).toBe(true);
      }),
    );

    it(
      'collects the blobs of a save whose manifest write failed, once its pins have lapsed',
      withStore(async (store) => {
        const f = fence({ pinMs: 300 });
        const failing: ProjectStore = { ...store, putManifest: () => Promise.reject(new Error('manifest write failed')) };
        await expect(save({ store: failing, fence: f }, { 'a.txt': 'never referenced' })).rejects.toThrow('manifest write failed');
        expect(await collectGarbage({ store, fence: f }, { graceMs: 0 })).toMatchObject({ deleted: 0, pinned: 1 });
        await new Promise((r) => setTimeout(r, 350));
        expect(await collectGarbage({ store, fence: f }, { graceMs: 0 })).toMatchObject({ deleted: 1, pinned: 0 });
      }),
    );

    it(
      'never deletes a blob a save has found and is about to reference (the GC runs between the check and the manifest)',
      withStore(async (store) => {
        const f = fence();
        const sha = await orphan(store, 'reused by the save');
        const manifestGate = gate();
        const reached = gate();
        const paused: ProjectStore = { ...store, putManifest: async (uid, m) => (reached.open(), await manifestGate.opened, store.putManifest(uid, m)) };
        const saving = save({ store: paused, fence: f }, { 'x.txt': 'reused by the save' });
        await reached.opened; // pinned, found the blob, not uploaded it again
        const report = await collectGarbage({ store, fence: f }, { graceMs: 0 });
        expect(report).toMatchObject({ deleted: 0, pinned: 1 });
        manifestGate.open();
        const m = await saving;
        expect(m.files['x.txt']!.sha256).toBe(sha);
        expect(await store.hasBlob(sha)).toBe(true);
      }),
    );

    it(
      'a save that needs a blob the GC is deleting waits for the delete, then uploads the blob again',
      withStore(async (store) => {
        const f = fence();
        const sha = await orphan(store, 'being deleted');
        const deleteGate = gate();
        const deleting = gate();
        const slowGc: ProjectStore = { ...store, deleteBlob: async (s) => (deleting.open(), await deleteGate.opened, store.deleteBlob(s)) };
        const collecting = collectGarbage({ store: slowGc, fence: f }, { graceMs: 0 });
        await deleting.opened;
        let saved = false;
        const saving = save({ store, fence: f }, { 'x.txt': 'being deleted' }).then((m) => ((saved = true), m));
        await new Promise((r) => setTimeout(r, 100));
        expect(saved).toBe(false); // it cannot pin a doomed blob
        deleteGate.open();
        expect(await collecting).toMatchObject({ deleted: 1 });
        const m = await saving;
        expect(m.files['x.txt']!.sha256).toBe(sha);
        expect(await store.hasBlob(sha)).toBe(true);
      }),
    );

    it(
      `keeps every referenced blob while ${concurrentSaves} concurrent saves race repeated collections`,
      withStore(async (store) => {
        const f = fence();
        const texts = Array.from({ length: 20 }, (_, i) => `shared orphan ${i}`);
        await Promise.all(texts.map((t) => orphan(store, t)));
        // Random pauses widen every window: between a save's check and its manifest, and
        // between the collector's claim and its delete.
        const pause = (max: number) => new Promise((r) => setTimeout(r, Math.random() * max));
        const saver: ProjectStore = { ...store, putManifest: async (uid, m) => (await pause(30), store.putManifest(uid, m)) };
        const collector: ProjectStore = { ...store, deleteBlob: async (sha) => (await pause(5), store.deleteBlob(sha)) };
        const collections = [0, 1, 2].map((i) => pause(20 * i).then(() => collectGarbage({ store: collector, fence: f }, { graceMs: 0, pageSize: 7 })));
        const saves = Array.from({ length: concurrentSaves }, (_, i) =>
          pause(60).then(() => save({ store: saver, fence: f }, { 'a.txt': texts[i % 20]!, 'b.txt': texts[(i * 7) % 20]!, 'own.txt': `save ${i}` })),
        );
        const [manifests] = await Promise.all([Promise.all(saves), Promise.all(collections)]);
        const missing: string[] = [];
        for (const m of manifests) for (const e of Object.values(m.files)) if (!(await store.hasBlob(e.sha256))) missing.push(e.sha256);
        expect(missing).toEqual([]);
      }),
      120_000,
    );
  });
}
