/**
 * What saving costs the store.
 *
 *   npm run bench:storage        (needs Redis at REDIS_URL, default 127.0.0.1:6379)
 *
 * 1. A one-file change in a 500-file project, on the B2 driver against the local B2 API
 *    server: bytes uploaded and B2 calls, against the baseline of the same save into an empty
 *    store (a full upload: every blob new), measured in the same run.
 * 2. Save and load of a 1,000-file, 5 MB project on the fs driver (fresh store each save),
 *    median of RUNS, against the baseline of writing/reading the same files as one JSON
 *    document (the naive "whole project in one file" store) in the same run.
 * The real ProjectService write path: Redis save lock and blob fence, gzip, dedupe.
 * Last line: `storage one_file_change_bytes=<a> full_bytes=<b> save_ms=<c> load_ms=<d>`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
// The API's Request augmentation (req.id, req.log), which the service's imports assume.
import type {} from '../../backend/src/http/request-context.js';
import { BlobFence } from '../../backend/src/projects/blob-fence.js';
import { createB2ProjectStore } from '../../backend/src/projects/drivers/b2.js';
import { createFsProjectStore } from '../../backend/src/projects/drivers/fs.js';
import { redisProjectLock } from '../../backend/src/projects/save-lock.js';
import { ProjectService } from '../../backend/src/projects/service.js';
import type { ProjectStore } from '../../backend/src/projects/store.js';
import { startFakeB2 } from '../../test-support/fake-b2.js';
import { deleteKeys } from '../../test-support/redis-keys.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `bench${Date.now().toString(36)}`;
const user = { uid: 'bench-user', email: 'bench@example.test' };
const ctx = { requestId: 'bench' };
const noAudit = { append: async () => undefined };

/** Deterministic source-like text of about `bytes` bytes, different per file. */
function fileText(i: number, bytes: number): string {
  const lines: string[] = [];
  for (let n = 0, len = 0; len < bytes; n++) {
    const line = `export const value_${i}_${n} = ${(i * 7919 + n * 104729) % 1000003}; // line ${n} of file ${i}`;
    lines.push(line);
    len += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}
const project = (count: number, bytes: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`src/module-${String(i).padStart(4, '0')}.ts`, fileText(i, bytes)]));

/** Counts bytes written to the store. */
function counted(store: ProjectStore) {
  const c = { bytes: 0, blobs: 0, manifests: 0 };
  const wrapped: ProjectStore = {
    ...store,
    putBlob: (sha, data) => ((c.bytes += data.length), (c.blobs += data.length), store.putBlob(sha, data)),
    putManifest: (uid, m) => {
      const n = Buffer.byteLength(JSON.stringify(m));
      c.bytes += n;
      c.manifests += n;
      return store.putManifest(uid, m);
    },
    putMeta: (m) => ((c.bytes += Buffer.byteLength(JSON.stringify(m))), store.putMeta(m)),
  };
  return { store: wrapped, counter: c };
}

const service = (store: ProjectStore, tag: string) =>
  new ProjectService({ store, lock: redisProjectLock(redis, `${prefix}${tag}`), fence: new BlobFence(redis, `${prefix}${tag}`), audit: noAudit });

const totalCalls = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function oneFileChange(): Promise<{ change: number; full: number }> {
  const files = project(500, 2000);
  const fake = await startFakeB2();
  try {
    const { store, counter } = counted(createB2ProjectStore({ ...fake, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 4 } }));
    const projects = service(store, 'b2');
    let calls = totalCalls(fake.calls);
    const created = await projects.create(user, { name: 'Bench', files }, {}, ctx);
    const full = { bytes: counter.bytes, calls: totalCalls(fake.calls) - calls };
    Object.assign(counter, { bytes: 0, blobs: 0, manifests: 0 });
    calls = totalCalls(fake.calls);
    const changed = { ...files, 'src/module-0250.ts': `${files['src/module-0250.ts']}// one more line\n` };
    await projects.save(user, created.snapshot.project.id, { files: changed, baseVersion: created.snapshot.version }, ctx);
    const change = { bytes: counter.bytes, calls: totalCalls(fake.calls) - calls };
    console.log('one-file change in a 500-file project (1 MB), B2 driver on a local B2 API server');
    console.log(`  full upload (baseline, empty store): ${full.bytes} bytes, ${full.calls} B2 calls`);
    console.log(`  one-file change:                     ${change.bytes} bytes, ${change.calls} B2 calls`);
    console.log(`    of which the changed file's blob ${counter.blobs} bytes, the version's manifest (every path and hash) ${counter.manifests} bytes`);
    console.log(`  ratio full / one-file: ${(full.bytes / change.bytes).toFixed(1)}x bytes, ${(full.calls / change.calls).toFixed(1)}x calls`);
    return { change: change.bytes, full: full.bytes };
  } finally {
    await fake.close();
  }
}

async function saveAndLoad(): Promise<{ save: number; load: number }> {
  const files = project(1000, 5 * 1024);
  const mb = Object.values(files).reduce((n, t) => n + t.length, 0) / 1024 / 1024;
  const saves: number[] = [];
  const loads: number[] = [];
  const naiveSaves: number[] = [];
  const naiveLoads: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = await mkdtemp(join(tmpdir(), 'patchpad-bench-'));
    try {
      // Interleaved: ours, then the naive baseline, on the same disk in the same moment.
      const projects = service(createFsProjectStore(join(dir, 'store')), `fs${run}`);
      let t = performance.now();
      const created = await projects.create(user, { name: 'Big', files }, {}, ctx);
      saves.push(performance.now() - t);
      t = performance.now();
      const loaded = await projects.load(user.uid, created.snapshot.project.id);
      loads.push(performance.now() - t);
      if (Object.keys(loaded.files).length !== 1000) throw new Error('load returned the wrong files');
      t = performance.now();
      await writeFile(join(dir, 'naive.json'), JSON.stringify(files));
      naiveSaves.push(performance.now() - t);
      t = performance.now();
      JSON.parse(await readFile(join(dir, 'naive.json'), 'utf8'));
      naiveLoads.push(performance.now() - t);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const [save, load, nSave, nLoad] = [saves, loads, naiveSaves, naiveLoads].map(median) as [number, number, number, number];
  console.log(`1,000 files, ${mb.toFixed(1)} MB, fs driver, median of ${RUNS}`);
  console.log(
    `  save (new project, every blob gzipped and written): ${save.toFixed(0)} ms  (baseline one JSON file: ${nSave.toFixed(0)} ms, ${(save / nSave).toFixed(1)}x)`,
  );
  console.log(
    `  load (latest version, every blob read and gunzipped): ${load.toFixed(0)} ms  (baseline one JSON file: ${nLoad.toFixed(0)} ms, ${(load / nLoad).toFixed(1)}x)`,
  );
  return { save, load };
}

try {
  const bytes = await oneFileChange();
  const times = await saveAndLoad();
  console.log(`storage one_file_change_bytes=${bytes.change} full_bytes=${bytes.full} save_ms=${Math.round(times.save)} load_ms=${Math.round(times.load)}`);
} finally {
  await deleteKeys(redis, `${prefix}*`);
  redis.disconnect();
}
