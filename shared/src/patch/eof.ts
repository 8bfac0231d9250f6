import type { HunkLine } from './types.js';

function lastIndex(lines: readonly HunkLine[], side: 'old' | 'new'): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const k = lines[i]!.kind;
    if (side === 'old' ? k !== 'add' : k !== 'remove') return i;
  }
  return -1;
}

/** Replaces the context line at `i` by a removed and an added copy of it. */
function splitContext(lines: HunkLine[], i: number): void {
  const l = lines[i]!;
  const base: HunkLine = { kind: 'remove', text: l.text };
  if (l.crlf) base.crlf = true;
  lines.splice(i, 1, base, { ...base, kind: 'add' });
}

/**
 * Puts `\ No newline at end of file` markers where they belong: after the old side's last
 * line when the old file lacked a final newline, after the new side's last line when the new
 * one does. A context line can carry a marker only when it is the last line of both sides and
 * both lack the newline; otherwise it is split into `-` and `+` (as git does).
 */
export function markEof(input: readonly HunkLine[], oldNoEol: boolean, newNoEol: boolean): HunkLine[] {
  if (!oldNoEol && !newNoEol && !input.some((l) => l.noEol)) return [...input];
  const lines = input.map((l) => {
    const copy: HunkLine = { kind: l.kind, text: l.text };
    if (l.crlf) copy.crlf = true;
    return copy;
  });
  let io = oldNoEol ? lastIndex(lines, 'old') : -1;
  let inn = newNoEol ? lastIndex(lines, 'new') : -1;
  if (io >= 0 && io === inn) {
    lines[io]!.noEol = true;
    return lines;
  }
  if (io >= 0 && lines[io]!.kind === 'context') splitContext(lines, io);
  inn = newNoEol ? lastIndex(lines, 'new') : -1;
  if (inn >= 0 && lines[inn]!.kind === 'context') splitContext(lines, inn);
  io = oldNoEol ? lastIndex(lines, 'old') : -1;
  inn = newNoEol ? lastIndex(lines, 'new') : -1;
  if (io >= 0) lines[io]!.noEol = true;
  if (inn >= 0) lines[inn]!.noEol = true;
  return lines;
}
