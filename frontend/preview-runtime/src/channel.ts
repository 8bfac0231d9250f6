import { parseParentMessage, type ParentMessage, type RuntimeMessage } from './protocol';

/**
 * The runtime's side of the postMessage channel with sandpack-client.
 *
 * User code runs in this same window, so the channel is built to stay trustworthy after
 * it starts: the parent window, the MessageEvent getters and stopImmediatePropagation
 * are captured at boot (before any user code can patch them), messages from the parent
 * are swallowed in the capture phase by the first listener (user code never sees the
 * channel id), and every message is checked for source, origin and `$id`.
 */

const messageEventGetter = <K extends 'source' | 'origin' | 'data'>(key: K) => {
  const get = Object.getOwnPropertyDescriptor(MessageEvent.prototype, key)?.get;
  if (!get) throw new Error(`MessageEvent.prototype.${key} has no getter`);
  return (event: MessageEvent): MessageEvent[K] => get.call(event) as MessageEvent[K];
};
const sourceOf = messageEventGetter('source');
const originOf = messageEventGetter('origin');
const dataOf = messageEventGetter('data');
const stopImmediate = Event.prototype.stopImmediatePropagation;

const MAX_PENDING = 1000;

export interface ChannelOptions {
  /** When set, `register-frame` is accepted only from these origins. */
  allowedParentOrigins: readonly string[] | null;
}

export class ParentChannel {
  private readonly parent: Window;
  private parentOrigin: string | null = null;
  private id: number | string | null = null;
  private pending: RuntimeMessage[] = [];

  constructor(
    private readonly win: Window,
    private readonly options: ChannelOptions,
  ) {
    this.parent = win.parent;
  }

  get registered(): boolean {
    return this.id !== null;
  }

  /** Starts listening; returns the unsubscribe. Call before any user code runs. */
  listen(onMessage: (message: ParentMessage) => void): () => void {
    const handler = (event: MessageEvent) => {
      if (sourceOf(event) !== this.parent || this.parent === this.win) return;
      // The parent talks only to the runtime: hide it (and the channel id) from user code.
      stopImmediate.call(event);
      const data: unknown = dataOf(event);
      const message = parseParentMessage(data);
      if (!message) return;
      const origin = originOf(event);
      if (message.type === 'register-frame') {
        this.register(message.origin, message.id, origin);
        return;
      }
      if (this.id === null || origin !== this.parentOrigin || (data as { $id?: unknown }).$id !== this.id) return;
      onMessage(message);
    };
    this.win.addEventListener('message', handler, true);
    return () => this.win.removeEventListener('message', handler, true);
  }

  /** Sends a message; messages before `register-frame` wait for it (in order). */
  send(message: RuntimeMessage): void {
    if (message.type === 'initialized') {
      // Carries nothing; the parent's origin is not known yet.
      for (const target of this.options.allowedParentOrigins ?? ['*']) {
        this.parent.postMessage({ type: 'initialized', codesandbox: true }, target);
      }
      return;
    }
    if (this.id === null || this.parentOrigin === null) {
      if (this.pending.length < MAX_PENDING) this.pending.push(message);
      return;
    }
    this.parent.postMessage({ ...message, codesandbox: true, $id: this.id }, this.parentOrigin);
  }

  private register(claimed: string, id: number | string, actual: string): void {
    if (claimed !== actual) return;
    const allowed = this.options.allowedParentOrigins;
    if (allowed && !allowed.includes(actual)) return;
    if (this.parentOrigin !== null && this.parentOrigin !== actual) return;
    this.parentOrigin = actual;
    this.id = id;
    const queued = this.pending;
    this.pending = [];
    for (const message of queued) this.send(message);
  }
}
