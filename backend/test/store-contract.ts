import { createHash } from 'node:crypto';
import { gzipSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ProjectMeta, VersionManifest } from '@patchpad/shared';
import type { ProjectStore } from '../src/projects/store';

/**
 * What every ProjectStore driver must do, run against each one (fs-store.test.ts; b2-store.test.ts
 * against a local B2 API server, and a real bucket given credentials). `make` returns a fresh,
 * empty store.
 */
export function projectStoreContract(driver: string, make: () => Promise<{ store: ProjectStore; cleanup: () => Promise<void> }>) {
  const meta = (uid: string, id: string, over: Partial<ProjectMeta> = {}): ProjectMeta => ({
    id,
    uid,
    name: `Project ${id}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });
  const manifest = (projectId: string, id: string): VersionManifest => ({
    id,
    projectId,
    createdAt: '2026-01-01T00:00:00.000Z',
    files: { 'a.txt': { sha256: 'a'.repeat(64), size: 1 } },
  });

  describe(`ProjectStore contract: ${driver}`, () => {
    const withStore = (fn: (store: ProjectStore) => Promise<void>) => async () => {
      const { store, cleanup } = await make();
      try {
        await fn(store);
      } finally {
        await cleanup();
      }
    };

    it(
      'stores blobs by hash and reads back the same bytes',
      withStore(async (store) => {
        const body = gzipSync('hello\n');
        const sha = createHash('sha256').update('hello\n').digest('hex');
        expect(await store.hasBlob(sha)).toBe(false);
        await store.putBlob(sha, body);
        expect(await store.hasBlob(sha)).toBe(true);
        expect(gunzipSync(await store.getBlob(sha)).toString()).toBe('hello\n');
        await expect(store.getBlob('f'.repeat(64))).rejects.toThrow();
      }),
    );

    it(
      'keeps metadata per user, overwrites on put, and lists only that user’s projects',
      withStore(async (store) => {
        await store.putMeta(meta('alice', 'p1'));
        await store.putMeta(meta('alice', 'p2'));
        await store.putMeta(meta('bob', 'p1', { name: 'Bob’s' }));
        await store.putMeta(meta('alice', 'p1', { name: 'Renamed' }));
        expect((await store.getMeta('alice', 'p1'))?.name).toBe('Renamed');
        expect((await store.getMeta('bob', 'p1'))?.name).toBe('Bob’s');
        expect(await store.getMeta('carol', 'p1')).toBeNull();
        expect((await store.listMeta('alice')).map((m) => m.id).sort()).toEqual(['p1', 'p2']);
        expect(await store.listMeta('nobody')).toEqual([]);
      }),
    );

    it(
      'lists versions newest first and returns null for unknown ones',
      withStore(async (store) => {
        for (const id of ['20260101T000000000Z-aaaa', '20260301T000000000Z-cccc', '20260201T000000000Z-bbbb']) {
          await store.putManifest('alice', manifest('p1', id));
        }
        expect(await store.listVersions('alice', 'p1')).toEqual(['20260301T000000000Z-cccc', '20260201T000000000Z-bbbb', '20260101T000000000Z-aaaa']);
        expect(await store.getManifest('alice', 'p1', '20260201T000000000Z-bbbb')).toEqual(manifest('p1', '20260201T000000000Z-bbbb'));
        expect(await store.getManifest('alice', 'p1', 'nope')).toBeNull();
        expect(await store.listVersions('bob', 'p1')).toEqual([]);
      }),
    );

    it(
      'cannot be steered outside its space by hostile ids',
      withStore(async (store) => {
        await store.putMeta(meta('../../etc', 'p1'));
        expect((await store.getMeta('../../etc', 'p1'))?.uid).toBe('../../etc');
        expect(await store.getMeta('etc', 'p1')).toBeNull();
        expect(await store.getManifest('alice', 'p1', '../../../meta')).toBeNull();
      }),
    );

    it(
      'keeps write-once objects by name, lists a folder in order, and refuses names that climb out',
      withStore(async (store) => {
        expect(await store.listObjects('audit/checkpoints/')).toEqual([]);
        expect(await store.getObject('audit/checkpoints/000002.json')).toBeNull();
        await store.putObject('audit/checkpoints/000002.json', Buffer.from('two'));
        await store.putObject('audit/checkpoints/000001.json', Buffer.from('one'));
        await store.putObject('audit/segments/000001-000002.ndjson.gz', gzipSync('x'));
        expect(await store.listObjects('audit/checkpoints/')).toEqual(['audit/checkpoints/000001.json', 'audit/checkpoints/000002.json']);
        expect((await store.getObject('audit/checkpoints/000002.json'))?.toString()).toBe('two');
        await expect(store.putObject('../escape', Buffer.from('x'))).rejects.toThrow();
        await expect(store.getObject('audit/../../x')).rejects.toThrow();
      }),
    );

    it(
      'answers ping',
      withStore((store) => store.ping()),
    );
  });
}
