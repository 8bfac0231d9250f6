/**
 * The keys of one environment variable: a comma list is a pool used round-robin. A key that
 * got a 429 or 401 rests for a while; the others carry on. State is per process (like the
 * breaker): cheap to read on every call, and each process learns a bad key in one call.
 */
export class KeyPool {
  private next = 0;
  private readonly restingUntil: number[];

  constructor(readonly keys: readonly string[]) {
    this.restingUntil = keys.map(() => 0);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The next rested key, or null with the time the first one is back. */
  take(now: number): { key: string } | { key: null; readyAt: number } {
    for (let i = 0; i < this.keys.length; i++) {
      const at = (this.next + i) % this.keys.length;
      if (this.restingUntil[at]! <= now) {
        this.next = (at + 1) % this.keys.length;
        return { key: this.keys[at]! };
      }
    }
    return { key: null, readyAt: Math.min(...this.restingUntil) };
  }

  rest(key: string, until: number): void {
    const at = this.keys.indexOf(key);
    if (at !== -1) this.restingUntil[at] = Math.max(this.restingUntil[at]!, until);
  }

  resting(now: number): number {
    return this.restingUntil.filter((t) => t > now).length;
  }
}

/** One pool per variable, rebuilt if the variable's value changes. */
export class KeyPools {
  private readonly pools = new Map<string, { raw: string; pool: KeyPool }>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** null: the variable is unset or empty in this process. */
  get(name: string): KeyPool | null {
    const raw = this.env[name] ?? '';
    const cached = this.pools.get(name);
    if (cached && cached.raw === raw) return cached.pool;
    const keys = raw
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    if (keys.length === 0) {
      this.pools.delete(name);
      return null;
    }
    const pool = new KeyPool(keys);
    this.pools.set(name, { raw, pool });
    return pool;
  }
}
