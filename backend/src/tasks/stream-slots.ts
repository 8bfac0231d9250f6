import { defineScript, taskKeys, type RedisClient, type Script } from '@patchpad/shared/server';

/**
 * The per-user cap on open event streams, shared by every API process: a stream takes a slot
 * for `leaseMs` and renews it on each heartbeat, so a process that dies frees its slots soon.
 */
export class StreamSlots {
  private readonly openScript: Script<[number, number]>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    readonly maxPerUser: number,
    private readonly leaseMs = 45_000,
  ) {
    this.openScript = defineScript(redis, new URL('./lua/stream-open-1.lua', import.meta.url));
  }

  /** True when opened; false when the user already has `maxPerUser` streams open. */
  async open(uid: string, streamId: string): Promise<{ opened: boolean; open: number }> {
    const [ok, open] = await this.openScript([taskKeys(this.prefix, uid).streams], [streamId, this.leaseMs, this.maxPerUser]);
    return { opened: ok === 1, open };
  }

  async renew(uid: string, streamId: string): Promise<void> {
    const key = taskKeys(this.prefix, uid).streams;
    await this.redis.zadd(key, 'XX', Date.now() + this.leaseMs, streamId);
    await this.redis.pexpire(key, this.leaseMs);
  }

  async close(uid: string, streamId: string): Promise<void> {
    await this.redis.zrem(taskKeys(this.prefix, uid).streams, streamId);
  }
}
