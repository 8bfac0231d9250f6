/**
 * How long task events take from being appended (the time in their Redis stream id) to being
 * written to a client's event stream on this process: the last leg of a task that the task's
 * own phase metrics cannot see. /health/detailed reports it over the most recent events.
 * Redis stamps the id with its own clock, so across machines the figure includes their skew.
 */
export class DeliveryLag {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;

  constructor(size = 1024) {
    this.samples = new Float64Array(size);
  }

  /** An event with stream id `<ms>-<seq>` was written to a client at `now`. */
  record(streamId: string, now = Date.now()): void {
    const at = Number(streamId.slice(0, streamId.indexOf('-')));
    if (!Number.isFinite(at) || at <= 0) return;
    this.samples[this.next] = Math.max(0, now - at);
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
  }

  /** Percentiles in ms over the most recent events, or null before the first. */
  snapshot(): { p50: number; p99: number; max: number; events: number } | null {
    if (this.count === 0) return null;
    const sorted = Array.from(this.samples.subarray(0, this.count)).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]!, events: this.count };
  }
}
