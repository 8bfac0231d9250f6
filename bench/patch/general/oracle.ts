/**
 * Ground truth for damaged context: in how many places does a hunk's old side still fit, in
 * order, when some of its lines were left out? Written independently of the engine: a plain
 * depth-first search over the file, comparing trimmed lines.
 */

export interface OldItem {
  text: string;
  /** File lines that may be skipped before this line: 0, up to 2 (a line or two left out), or any number (an elision marker). */
  gapBefore: 0 | 2 | 'any';
}

/** Alignments (start positions of every item), counted up to `cap`. */
export function countAlignments(file: readonly string[], items: readonly OldItem[], cap = 2): number {
  const keys = file.map((l) => l.trim());
  const want = items.map((i) => i.text.trim());
  let found = 0;
  const dfs = (k: number, from: number): void => {
    if (found >= cap) return;
    if (k === items.length) {
      found++;
      return;
    }
    const gap = items[k]!.gapBefore;
    const last = gap === 'any' ? file.length - 1 : Math.min(file.length - 1, from + gap);
    for (let p = from; p <= last && found < cap; p++) if (keys[p] === want[k]) dfs(k + 1, p + 1);
  };
  for (let s = 0; s < file.length && found < cap; s++) if (keys[s] === want[0]) dfs(1, s + 1);
  return found;
}
