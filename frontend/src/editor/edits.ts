import { diffLines, EQUAL, REMOVE } from '@patchpad/shared/patch';

/** A replacement in Monaco's coordinates (1-based lines and columns, end exclusive). */
export interface LineEdit {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  text: string;
}

const lines = (text: string) => text.split(/\r?\n/);

/**
 * The edits that turn `before` into `after`, one per run of changed lines (the patch engine's
 * line diff), so that applying an accepted AI change to an open editor touches only the lines
 * it changes: the cursor, selection, folding and scroll position elsewhere stay put, and one
 * undo takes the change back. Line endings are compared as LF; Monaco writes its own.
 */
export function lineEdits(before: string, after: string): LineEdit[] {
  const a = lines(before);
  const b = lines(after);
  const ops = diffLines(a, b);
  const edits: LineEdit[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === EQUAL) {
      i++;
      continue;
    }
    const a0 = ops[i]!.a;
    const b0 = ops[i]!.b;
    let removed = 0;
    let added = 0;
    for (; i < ops.length && ops[i]!.kind !== EQUAL; i++) {
      if (ops[i]!.kind === REMOVE) removed++;
      else added++;
    }
    edits.push(edit(a, b, a0, a0 + removed, b0, b0 + added));
  }
  return edits;
}

/** Lines [a0, a1) of `a` become lines [b0, b1) of `b`. */
function edit(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): LineEdit {
  const added = b.slice(b0, b1);
  if (a1 < a.length) {
    // Whole lines, each with its line break: from the start of line a0 to the start of line a1.
    return { startLine: a0 + 1, startColumn: 1, endLine: a1 + 1, endColumn: 1, text: added.map((l) => `${l}\n`).join('') };
  }
  // The run reaches the end of the text (where the last line has no break after it): work from
  // the end of the line before, so the breaks between lines come out right.
  const last = a.length;
  const end = { endLine: last, endColumn: a[last - 1]!.length + 1 };
  if (a0 === 0) return { startLine: 1, startColumn: 1, ...end, text: added.join('\n') };
  return { startLine: a0, startColumn: a[a0 - 1]!.length + 1, ...end, text: added.map((l) => `\n${l}`).join('') };
}
