import { createHash } from 'node:crypto';
import { gzipSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ProjectMeta, VersionManifest } from '@patchpad/shared';
import type { ProjectStore } from '../src/projects/store';
import { blobGcContract } from './store-contract-gc';

/**
 * What every ProjectStore driver must do, run against each one (fs-store.test.ts; b2-store.test.ts
 * against a local B2 API server, and a real bucket given credentials). `make` returns a fresh,
 * empty store. Includes the blob collector's contract (store-contract-gc.ts).
 */
export function projectStoreContract(
  driver: string,
  make: () => Promise<{ store: ProjectStore; cleanup: () => Promise<void> }>,
  options: { concurrentSaves?: number } = {},
) {
  blobGcContract(driver, make, options.concurrentSaves);
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
        expect((await store.listVersions('alice', 'p1', { limit: 10 })).items).toEqual([
          '20260301T000000000Z-cccc',
          '20260201T000000000Z-bbbb',
          '20260101T000000000Z-aaaa',
        ]);
        expect(await store.getManifest('alice', 'p1', '20260201T000000000Z-bbbb')).toEqual(manifest('p1', '20260201T000000000Z-bbbb'));
        expect(await store.getManifest('alice', 'p1', 'nope')).toBeNull();
        expect(await store.listVersions('bob', 'p1', { limit: 10 })).toEqual({ items: [], next: null });
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

    it(
      'pages versions newest first, blobs in hash order, and every project and manifest of every user exactly once',
      withStore(async (store) => {
        const ids = Array.from(
          { length: 23 },
          (_, i) => `2026010${Math.floor(i / 10)}T0000${String(i % 10).padStart(2, '0')}000Z-v${String(i).padStart(2, '0')}`,
        );
        await Promise.all(ids.map((id) => store.putManifest('alice', manifest('p1', id))));
        const pages: string[][] = [];
        let before: string | undefined;
        do {
          const page = await store.listVersions('alice', 'p1', { limit: 10, ...(before ? { before } : {}) });
          pages.push(page.items);
          before = page.next ?? undefined;
        } while (before);
        expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
        expect(pages.flat()).toEqual([...ids].reverse());

        const shas = Array.from({ length: 7 }, (_, i) => createHash('sha256').update(`blob ${i}`).digest('hex'));
        await Promise.all(shas.map((sha) => store.putBlob(sha, gzipSync(sha))));
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listBlobs({ limit: 3, ...(after ? { after } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(3);
          for (const b of page.items) {
            expect(b.storedAt).toBeGreaterThan(Date.now() - 600_000);
            // Whole ms, as Date.now() is: the collector's `storedAt > started` must not call a
            // blob written earlier in the same millisecond younger than the run.
            expect(Number.isInteger(b.storedAt)).toBe(true);
            expect(b.storedAt).toBeLessThanOrEqual(Date.now());
          }
          seen.push(...page.items.map((b) => b.sha256));
          after = page.next ?? undefined;
        } while (after);
        expect(seen).toEqual([...shas].sort());

        await Promise.all([meta('alice', 'p1'), meta('alice', 'p2'), meta('bob', 'p1'), meta('carol', 'p9')].map((m) => store.putMeta(m)));
        await store.putManifest('bob', manifest('p1', '20260101T000000000Z-bob1'));
        const projects = await drain((after) => store.scanProjects({ limit: 2, ...(after ? { after } : {}) }));
        expect(projects.map((m) => `${m.uid}/${m.id}`).sort()).toEqual(['alice/p1', 'alice/p2', 'bob/p1', 'carol/p9']);
        const manifests = await drain((after) => store.scanManifests({ limit: 4, ...(after ? { after } : {}) }));
        expect(manifests.map((m) => m.id).sort()).toEqual([...ids, '20260101T000000000Z-bob1'].sort());
      }),
    );

    it(
      'deletes a blob for good (and a deleted name can be written again), and purges a project without touching others',
      withStore(async (store) => {
        const sha = createHash('sha256').update('doomed').digest('hex');
        await store.putBlob(sha, gzipSync('doomed'));
        await store.putBlob(sha, gzipSync('doomed')); // B2 keeps both as versions of one name
        await store.deleteBlob(sha);
        expect(await store.hasBlob(sha)).toBe(false);
        await store.deleteBlob(sha); // already gone: fine
        await store.putBlob(sha, gzipSync('doomed'));
        expect(gunzipSync(await store.getBlob(sha)).toString()).toBe('doomed');

        await store.putMeta(meta('alice', 'gone'));
        await store.putMeta(meta('alice', 'gone', { name: 'Renamed' })); // a second version of meta.json
        await store.putManifest('alice', manifest('gone', '20260101T000000000Z-aaaa'));
        await store.putManifest('alice', manifest('gone', '20260102T000000000Z-bbbb'));
        await store.putMeta(meta('alice', 'kept'));
        await store.putManifest('alice', manifest('kept', '20260101T000000000Z-cccc'));
        await store.deleteProject('alice', 'gone');
        expect(await store.getMeta('alice', 'gone')).toBeNull();
        expect(await store.getManifest('alice', 'gone', '20260101T000000000Z-aaaa')).toBeNull();
        expect((await store.listVersions('alice', 'gone', { limit: 10 })).items).toEqual([]);
        expect((await store.listMeta('alice')).map((m) => m.id)).toEqual(['kept']);
        expect(await store.getManifest('alice', 'kept', '20260101T000000000Z-cccc')).not.toBeNull();
        await store.deleteProject('alice', 'gone'); // a retried purge
      }),
    );
  });
}

async function drain<T>(list: (after: string | undefined) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const all: T[] = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    all.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return all;
}
