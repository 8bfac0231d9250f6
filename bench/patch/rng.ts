import { createHash } from 'node:crypto';

/** Seeded PRNG (mulberry32) so that the corpus and its corruptions are the same on every run. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/**
 * A seeded order that depends on each item's own key only, not on which other items exist: a
 * package added to or missing from node_modules adds or drops its own files and leaves the
 * rest of a sample where it was (a positional shuffle reorders everything after it).
 */
export function stableOrder<T>(items: readonly T[], salt: number, key: (item: T) => string): T[] {
  const rank = (item: T) =>
    createHash('sha1')
      .update(`${salt}:${key(item)}`)
      .digest('hex');
  return items
    .map((item) => ({ item, r: rank(item) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .map((x) => x.item);
}

/** A seeded coin that depends only on the key (see stableOrder). */
export function stableChance(salt: number, key: string, p: number): boolean {
  return createHash('sha1').update(`${salt}:coin:${key}`).digest().readUInt32BE(0) / 2 ** 32 < p;
}
