export type BreakerState = 'closed' | 'open' | 'half_open';

export type BreakerStatus = {
  endpoint: string;
  state: BreakerState;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  /** While open: when the next trial call is allowed. */
  retryAt: string | null;
};

/**
 * Circuit breaker for one provider endpoint. Closed: calls pass; `threshold` failures in a row
 * open it. Open: calls are refused at once (the gateway goes to the fallbacks) until
 * `openMs` passed. Half-open: one trial call; success closes it, failure opens it again.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private lastError: string | null = null;
  private lastErrorAt = 0;

  constructor(
    readonly endpoint: string,
    private readonly threshold: number,
    private readonly openMs: number,
  ) {}

  /** Whether a call may go out now; in half-open, only the one trial call gets true. */
  allow(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now - this.openedAt < this.openMs) return false;
      this.state = 'half_open';
      this.trialInFlight = false;
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.state = 'closed';
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(message: string, now: number): void {
    this.failures++;
    this.lastError = message;
    this.lastErrorAt = now;
    this.trialInFlight = false;
    if (this.state === 'half_open' || this.failures >= this.threshold) {
      this.state = 'open';
      this.openedAt = now;
    }
  }

  /** A call that was allowed but ended for a reason that says nothing of the endpoint (caller gone, 4xx). */
  release(): void {
    this.trialInFlight = false;
  }

  status(now: number): BreakerStatus {
    const open = this.state === 'open';
    return {
      endpoint: this.endpoint,
      state: open && now - this.openedAt >= this.openMs ? 'half_open' : this.state,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt ? new Date(this.lastErrorAt).toISOString() : null,
      retryAt: open ? new Date(this.openedAt + this.openMs).toISOString() : null,
    };
  }
}

/** One breaker per endpoint (provider kind + base URL), created on first use. */
export class BreakerBoard {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: { threshold: number; openMs: number }) {}

  for(endpoint: string): CircuitBreaker {
    let breaker = this.breakers.get(endpoint);
    if (!breaker) {
      breaker = new CircuitBreaker(endpoint, this.options.threshold, this.options.openMs);
      this.breakers.set(endpoint, breaker);
    }
    return breaker;
  }

  snapshot(now = Date.now()): BreakerStatus[] {
    return [...this.breakers.values()].map((b) => b.status(now));
  }
}
