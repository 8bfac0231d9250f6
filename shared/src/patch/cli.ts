import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { patchCliInputSchema, type FilePlacement, type PatchCliOutput } from '../schemas/patch.js';
import { applyPatch } from './apply.js';
import { isPatchError } from './errors.js';
import type { FileApplyResult } from './types.js';

/**
 * `patchpad-patch apply-jsonl`: one `{"id", "files", "patch"}` object per stdin line, one
 * `{"id", "ok", "files", ...}` per stdout line, in order. All or nothing over the whole patch:
 * `ok` only when every file applied; otherwise `files` is the input set, unchanged, and
 * `conflicts` (or `error`) says why. A bad line never stops the run.
 */

const USAGE = `Usage: patchpad-patch apply-jsonl < input.jsonl > output.jsonl

Reads one JSON object per line: {"id": string, "files": {path: content}, "patch": string}
Writes one JSON object per line, in the same order:
  {"id", "ok": true, "files": {path: content | null}, "placements": [...]}   (null = deleted)
  {"id", "ok": false, "files": <input files>, "conflicts": [...], "placements": [...]} or "error" + "reason"
"placements" says per file and per hunk which strategy placed it (exact, indentation,
elided_context, fuzzy_context, ...), the fuzz, the offset from its line number, and how an
odd header path was resolved.
`;

function errorLine(id: string | null, files: Record<string, string | null>, reason: string, error: string): PatchCliOutput {
  return { id, ok: false, files, error, reason };
}

function placementOf(r: FileApplyResult): FilePlacement {
  const p: FilePlacement = { path: r.path, op: r.op, ok: r.ok, hunks: r.hunks };
  if (r.oldPath !== undefined) p.oldPath = r.oldPath;
  if (r.writtenPath !== undefined) p.writtenPath = r.writtenPath;
  if (r.pathResolution !== undefined) p.pathResolution = r.pathResolution;
  return p;
}

/** Handles one input line; never throws. */
export function processLine(line: string, lineNo: number): PatchCliOutput {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return errorLine(null, {}, 'invalid_input', `line ${lineNo}: not valid JSON (${(e as Error).message})`);
  }
  const input = patchCliInputSchema.safeParse(raw);
  if (!input.success) {
    const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : null;
    const issues = input.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return errorLine(id, {}, 'invalid_input', `line ${lineNo}: expected {"id": string, "files": {path: string}, "patch": string} — ${issues}`);
  }
  const { id, files, patch } = input.data;
  try {
    const result = applyPatch(files, patch);
    const placements = result.results.map(placementOf);
    if (result.ok) return { id, ok: true, files: result.files, placements };
    return { id, ok: false, files, conflicts: result.results.flatMap((r) => r.conflicts), placements };
  } catch (e) {
    if (isPatchError(e)) return errorLine(id, files, e.reason, e.message);
    return errorLine(id, files, 'internal', `internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function applyJsonl(input: Readable, output: Writable): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let count = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    await write(output, `${JSON.stringify(processLine(line, lineNo))}\n`);
    count++;
  }
  await new Promise<void>((resolve, reject) => output.write('', (err) => (err ? reject(err) : resolve())));
  return count;
}

export async function main(argv: readonly string[], io: { stdin: Readable; stdout: Writable; stderr: Writable } = process): Promise<number> {
  const [command] = argv;
  if (command === 'apply-jsonl' && argv.length === 1) {
    await applyJsonl(io.stdin, io.stdout);
    return 0;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  io.stderr.write(`patchpad-patch: unknown command ${JSON.stringify(argv.join(' '))}\n\n${USAGE}`);
  return 2;
}
