import type { RedisClient, StoredEvent, TaskStore } from '@patchpad/shared/server';
import type { Logger } from '../log';

type Listener = { cursor: string; deliver: (events: StoredEvent[]) => void };
type Watched = { uid: string; taskId: string; listeners: Set<Listener>; reading: Promise<void> | null; again: boolean };

/**
 * Every event stream of this API process, on one Redis subscription. Each appended task event
 * is announced on one pub/sub channel (by the same Lua script that appends it); the hub reads
 * the new events of the tasks someone here is watching with ordinary, non-blocking reads on
 * the shared command connection and hands each listener what follows its own cursor. So 500
 * open streams cost one subscriber connection, not 500 blocked ones. A lost announcement
 * (a reconnect, a failover) costs latency, never an event: after a reconnect, and every
 * `sweepMs`, every watched task is read again from its listeners' cursors.
 */
export class TaskEventHub {
  private readonly watched = new Map<string, Watched>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly store: TaskStore,
    private readonly log: Logger,
    private readonly sweepMs = 10_000,
  ) {}

  /** Subscribes (now, or once Redis answers: the API starts while Redis is down, too). */
  start(): void {
    // A message is `<uid>\n<taskId>`, the same string that keys `watched`. The connection also
    // carries other channels (the model registry's change notices).
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.store.channel) void this.kick(message);
    });
    // After a reconnect ioredis subscribes again by itself; anything announced meanwhile is read now.
    this.subscriber.on('ready', () => this.kickAll());
    this.subscriber.subscribe(this.store.channel).catch((err: unknown) => this.log.error({ err }, 'could not subscribe to task events'));
    this.sweepTimer = setInterval(() => this.kickAll(), this.sweepMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    clearInterval(this.sweepTimer);
    this.watched.clear();
  }

  get size(): number {
    let n = 0;
    for (const w of this.watched.values()) n += w.listeners.size;
    return n;
  }

  /**
   * Delivers the task's events after `cursor`, in order and each once, until unsubscribed.
   * `caughtUp` resolves when everything stored at the time of the call has been delivered.
   */
  watch(uid: string, taskId: string, cursor: string, deliver: (events: StoredEvent[]) => void): { caughtUp: Promise<void>; unsubscribe: () => void } {
    const key = `${uid}\n${taskId}`;
    let entry = this.watched.get(key);
    if (!entry) {
      entry = { uid, taskId, listeners: new Set(), reading: null, again: false };
      this.watched.set(key, entry);
    }
    const listener: Listener = { cursor, deliver };
    entry.listeners.add(listener);
    const watched = entry;
    return {
      caughtUp: this.kick(key),
      unsubscribe: () => {
        watched.listeners.delete(listener);
        if (watched.listeners.size === 0 && this.watched.get(key) === watched) this.watched.delete(key);
      },
    };
  }

  private kickAll(): void {
    for (const key of this.watched.keys()) void this.kick(key);
  }

  /** Reads the task's new events now, or once more after the read in progress. */
  private kick(key: string): Promise<void> {
    const entry = this.watched.get(key);
    if (!entry) return Promise.resolve();
    entry.again = true;
    if (!entry.reading) {
      entry.reading = this.readUntilQuiet(entry).finally(() => {
        entry.reading = null;
      });
    }
    return entry.reading;
  }

  private async readUntilQuiet(entry: Watched): Promise<void> {
    while (entry.again && entry.listeners.size > 0) {
      entry.again = false;
      // Listeners on one task are nearly always at the same cursor: one read serves them all.
      const byCursor = new Map<string, Listener[]>();
      for (const l of entry.listeners) byCursor.set(l.cursor, [...(byCursor.get(l.cursor) ?? []), l]);
      for (const [cursor, listeners] of byCursor) {
        let events: StoredEvent[];
        try {
          events = await this.store.readEvents(entry.uid, entry.taskId, cursor, 500);
        } catch (err) {
          this.log.warn({ err, taskId: entry.taskId }, 'reading task events failed; the next sweep retries');
          return;
        }
        if (events.length === 0) continue;
        const last = events[events.length - 1]!.id;
        for (const l of listeners) {
          if (l.cursor !== cursor || !entry.listeners.has(l)) continue;
          l.cursor = last;
          l.deliver(events);
        }
        if (events.length === 500) entry.again = true;
      }
    }
  }
}
