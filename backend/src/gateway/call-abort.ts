/**
 * What the gateway's call path needs of an AbortSignal: whether and why the call was stopped,
 * and listeners told once when it is. A real AbortSignal fits it (tests and the admin's model
 * test pass one); a model call passes a CallAbort.
 */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

/**
 * A model call's cancellation without EventTarget. Node's AbortController made every call pay
 * for an EventTarget (listener records, event objects, its internal bookkeeping): replacing it
 * with this took 9–22% off the gateway's CPU per call (bench A/B, two builds interleaved).
 * Listeners run once, in the order added; one that throws does not stop the others (the error
 * is reported as uncaught, as EventTarget reports it).
 */
export class CallAbort implements CallSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  get signal(): CallSignal {
    return this;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at !== -1) this.listeners.splice(at, 1);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
}
