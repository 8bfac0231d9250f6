import { strToU8, Unzip, UnzipInflate, UnzipPassThrough, zipSync, type Zippable } from 'fflate';
import {
  checkImportedFiles,
  decodeText,
  ImportError,
  isSkippedEntry,
  planImport,
  PROJECT_LIMITS,
  type ProjectFiles,
  type SkippedEntry,
} from '@patchpad/shared';

/** A project as a zip: one entry per file, deflated, every entry dated `mtime` (same files, same bytes). */
export function zipProject(files: ProjectFiles, mtime: Date): Buffer {
  const entries: Zippable = {};
  for (const path of Object.keys(files).sort()) entries[path] = [strToU8(files[path]!), { mtime }];
  return Buffer.from(zipSync(entries, { level: 6 }));
}

/** Compressed bytes fed to the inflater at once: bounds what one step can expand to (deflate tops out near 1:1000). */
const SLICE = 16 * 1024;

/**
 * Reads a zip into project files, never holding more than the project limits allow: entries
 * in ignored folders are not inflated, and a file or a total that outgrows its limit while
 * inflating stops the read at once (a zip bomb costs at most one slice's expansion). Binary
 * files are skipped and reported. Throws ImportError with a message naming the file.
 */
export function unzipProject(zip: Uint8Array): { files: ProjectFiles; skipped: SkippedEntry[] } {
  const raw = new Map<string, Uint8Array[]>();
  const ignored: string[] = [];
  let total = 0;
  const state: { failure: ImportError | null } = { failure: null };
  const fail = (e: ImportError) => (state.failure ??= e);
  const unzip = new Unzip((file) => {
    if (state.failure) return;
    if (isSkippedEntry(file.name)) return void ignored.push(file.name);
    if (raw.size >= PROJECT_LIMITS.maxFiles) return void fail(new ImportError(`Too many files: a project may hold at most ${PROJECT_LIMITS.maxFiles}`));
    const chunks: Uint8Array[] = [];
    raw.set(file.name, chunks);
    let size = 0;
    file.ondata = (err, chunk) => {
      if (state.failure) return;
      if (err) return void fail(new ImportError(`"${file.name}" cannot be read from the zip: ${err.message}`, file.name));
      size += chunk.length;
      total += chunk.length;
      // Bytes, not characters yet: a UTF-8 character takes up to 4. The exact check follows decoding.
      if (size > PROJECT_LIMITS.maxFileBytes * 4) {
        fail(new ImportError(`"${file.name}" is larger than ${PROJECT_LIMITS.maxFileBytes} characters, the most a file may hold`, file.name));
      } else if (total > PROJECT_LIMITS.maxTotalBytes * 2) {
        fail(new ImportError(`The zip expands to more than ${PROJECT_LIMITS.maxTotalBytes} bytes, the most a project may hold`));
      } else chunks.push(chunk);
      if (state.failure) file.terminate();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  if (!(zip[0] === 0x50 && zip[1] === 0x4b)) throw new ImportError('The upload is not a zip archive (it does not start with "PK")');
  try {
    for (let at = 0; at < zip.length && !state.failure; at += SLICE) unzip.push(zip.subarray(at, at + SLICE), at + SLICE >= zip.length);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(`The zip archive is damaged or uses a feature it cannot read: ${(err as Error).message}`);
  }
  if (state.failure) throw state.failure;
  return decodeEntries(raw, ignored);
}

function decodeEntries(raw: Map<string, Uint8Array[]>, ignored: string[]): { files: ProjectFiles; skipped: SkippedEntry[] } {
  const plan = planImport([...ignored, ...raw.keys()]);
  const files: ProjectFiles = {};
  const skipped = [...plan.skipped];
  for (const [name, path] of plan.keep) {
    const chunks = raw.get(name)!;
    const bytes = Buffer.concat(chunks);
    const text = decodeText(bytes);
    if (text === null) skipped.push({ path, reason: 'binary file (projects hold text)' });
    else files[path] = text;
  }
  checkImportedFiles(files);
  return { files, skipped };
}
