/**
 * Line diff: patience anchors (lines unique on both sides, longest increasing run) split the
 * problem, and Myers' O(ND) algorithm in linear space (middle snake) fills the gaps. Patience
 * keeps hunks aligned on distinctive lines, which reads better for code than plain Myers.
 */

export const EQUAL = 0;
export const REMOVE = 1;
export const ADD = 2;
export type OpKind = typeof EQUAL | typeof REMOVE | typeof ADD;

/** One edit; `a` and `b` are the line indices on each side before this edit. */
export interface DiffOp {
  kind: OpKind;
  a: number;
  b: number;
}

class Differ {
  readonly ops: DiffOp[] = [];
  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
  ) {}

  private emit(kind: OpKind, ai: number, bi: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.ops.push({ kind, a: ai + (kind === ADD ? 0 : i), b: bi + (kind === REMOVE ? 0 : i) });
    }
  }

  /**
   * Emits the common prefix of a[aLo,aHi) and b[bLo,bHi) and returns the ranges left between
   * it and the common suffix, plus the suffix length (the caller emits it last, keeping order).
   */
  private trimEnds(aLo: number, aHi: number, bLo: number, bHi: number): [number, number, number, number, number] {
    const { a, b } = this;
    let pre = 0;
    while (aLo + pre < aHi && bLo + pre < bHi && a[aLo + pre] === b[bLo + pre]) pre++;
    this.emit(EQUAL, aLo, bLo, pre);
    aLo += pre;
    bLo += pre;
    let suf = 0;
    while (aHi - suf > aLo && bHi - suf > bLo && a[aHi - 1 - suf] === b[bHi - 1 - suf]) suf++;
    return [aLo, aHi - suf, bLo, bHi - suf, suf];
  }

  /** Patience step: recurse between unique common lines; Myers when there are none. */
  range(aLo0: number, aHi0: number, bLo0: number, bHi0: number): void {
    const { a, b } = this;
    const [aLo, aHi, bLo, bHi, suf] = this.trimEnds(aLo0, aHi0, bLo0, bHi0);
    const anchors = aLo < aHi && bLo < bHi ? uniqueAnchors(a, aLo, aHi, b, bLo, bHi) : [];
    if (anchors.length === 0) this.myers(aLo, aHi, bLo, bHi);
    else {
      let pa = aLo;
      let pb = bLo;
      for (const [i, j] of anchors) {
        this.range(pa, i, pb, j);
        this.emit(EQUAL, i, j, 1);
        pa = i + 1;
        pb = j + 1;
      }
      this.range(pa, aHi, pb, bHi);
    }
    this.emit(EQUAL, aHi, bHi, suf);
  }

  private myers(aLo0: number, aHi0: number, bLo0: number, bHi0: number): void {
    const { a, b } = this;
    const [aLo, aHi, bLo, bHi, suf] = this.trimEnds(aLo0, aHi0, bLo0, bHi0);
    if (aLo === aHi) this.emit(ADD, aLo, bLo, bHi - bLo);
    else if (bLo === bHi) this.emit(REMOVE, aLo, bLo, aHi - aLo);
    else {
      const s = middleSnake(a, aLo, aHi - aLo, b, bLo, bHi - bLo);
      this.myers(aLo, aLo + s.x, bLo, bLo + s.y);
      this.emit(EQUAL, aLo + s.x, bLo + s.y, s.u - s.x);
      this.myers(aLo + s.u, aHi, bLo + s.v, bHi);
    }
    this.emit(EQUAL, aHi, bHi, suf);
  }
}

/** Myers' middle snake: a diagonal run (x,y)→(u,v) on an optimal path, in range coordinates. */
function middleSnake(a: Int32Array, aLo: number, n: number, b: Int32Array, bLo: number, m: number): { x: number; y: number; u: number; v: number } {
  const max = Math.ceil((n + m) / 2);
  const off = max + 1;
  const vf = new Int32Array(2 * max + 3);
  const vb = new Int32Array(2 * max + 3);
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && vf[off + k - 1]! < vf[off + k + 1]!) ? vf[off + k + 1]! : vf[off + k - 1]! + 1;
      let y = x - k;
      const sx = x;
      const sy = y;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      vf[off + k] = x;
      const c = delta - k;
      if (odd && c >= -(d - 1) && c <= d - 1 && x + vb[off + c]! >= n) return { x: sx, y: sy, u: x, v: y };
    }
    for (let c = -d; c <= d; c += 2) {
      let x = c === -d || (c !== d && vb[off + c - 1]! < vb[off + c + 1]!) ? vb[off + c + 1]! : vb[off + c - 1]! + 1;
      let y = x - c;
      const sx = x;
      const sy = y;
      while (x < n && y < m && a[aLo + n - 1 - x] === b[bLo + m - 1 - y]) {
        x++;
        y++;
      }
      vb[off + c] = x;
      const k = delta - c;
      if (!odd && k >= -d && k <= d && vf[off + k]! + x >= n) return { x: n - x, y: m - y, u: n - sx, v: m - sy };
    }
  }
  throw new Error('middleSnake: no overlap found (unreachable)');
}

/** Lines occurring exactly once in each range, paired, reduced to their longest increasing run. */
function uniqueAnchors(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number): Array<[number, number]> {
  const seen = new Map<number, { ca: number; cb: number; ia: number; ib: number }>();
  for (let i = aLo; i < aHi; i++) {
    const e = seen.get(a[i]!);
    if (e) e.ca++;
    else seen.set(a[i]!, { ca: 1, cb: 0, ia: i, ib: -1 });
  }
  for (let j = bLo; j < bHi; j++) {
    const e = seen.get(b[j]!);
    if (e) {
      e.cb++;
      e.ib = j;
    }
  }
  const pairs: Array<[number, number]> = [];
  for (const e of seen.values()) if (e.ca === 1 && e.cb === 1) pairs.push([e.ia, e.ib]);
  pairs.sort((p, q) => p[0] - q[0]);
  return longestIncreasing(pairs);
}

/** Longest subsequence of pairs (sorted by first) increasing in the second (patience sorting). */
function longestIncreasing(pairs: Array<[number, number]>): Array<[number, number]> {
  const tails: number[] = [];
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let i = 0; i < pairs.length; i++) {
    const key = pairs[i]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out: Array<[number, number]> = [];
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i !== -1; i = prev[i]!) out.push(pairs[i]!);
  return out.reverse();
}

/** Edit script turning `a` into `b` (lines compared as strings). */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  };
  const differ = new Differ(Int32Array.from(a, intern), Int32Array.from(b, intern));
  differ.range(0, a.length, 0, b.length);
  return removalsFirst(differ.ops);
}

/** Within each run of changes, removed lines before added ones (the usual diff reading order). */
function removalsFirst(ops: readonly DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (op.kind === EQUAL) {
      out.push(op);
      i++;
      continue;
    }
    const { a, b } = op;
    let removed = 0;
    let added = 0;
    for (; i < ops.length && ops[i]!.kind !== EQUAL; i++) {
      if (ops[i]!.kind === REMOVE) removed++;
      else added++;
    }
    for (let k = 0; k < removed; k++) out.push({ kind: REMOVE, a: a + k, b });
    for (let k = 0; k < added; k++) out.push({ kind: ADD, a: a + removed, b: b + k });
  }
  return out;
}
