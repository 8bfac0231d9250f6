import { readFileSync } from 'node:fs';
import type { RedisClient } from '@patchpad/shared/server';
import { AppError } from '../http/errors';

const PIN = readFileSync(new URL('./lua/blob-pin-2.lua', import.meta.url), 'utf8');
const DOOM = readFileSync(new URL('./lua/blob-doom-2.lua', import.meta.url), 'utf8');

type FenceCommands = {
  ppBlobPin(pins: string, doomed: string, ms: number, ...shas: string[]): Promise<string[]>;
  ppBlobDoom(pins: string, doomed: string, ms: number, sha: string): Promise<number>;
};

export interface FenceOptions {
  /** How long a pin lasts: longer than any save, and the collector stops sweeping before a run gets this old. */
  pinMs?: number;
  /** How long the collector's claim on a blob lasts: longer than one delete. */
  doomMs?: number;
  /** How long a save waits for the collector to finish deleting a blob it needs. */
  waitMs?: number;
}

/**
 * The fence between saves and the garbage collector, in Redis so that it holds across API
 * instances. A save pins every blob its manifest will reference before it checks whether the
 * blob exists; the collector deletes an unreferenced blob only after dooming it, which a pin
 * refuses, and a save that finds a blob doomed waits until the delete is done and then
 * uploads it again. So a save never writes a manifest naming a blob the collector deletes.
 * Both scripts read Redis' clock, so API instances with skewed clocks agree.
 */
export class BlobFence {
  readonly pinMs: number;
  private readonly doomMs: number;
  private readonly waitMs: number;
  private readonly pins: string;
  private readonly doomed: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    options: FenceOptions = {},
  ) {
    this.pinMs = options.pinMs ?? 60 * 60_000;
    this.doomMs = options.doomMs ?? 5 * 60_000;
    this.waitMs = options.waitMs ?? 30_000;
    // One hash tag: both scripts touch both keys.
    this.pins = `${prefix}:{blobs}:pins`;
    this.doomed = `${prefix}:{blobs}:doomed`;
    redis.defineCommand('ppBlobPin', { numberOfKeys: 2, lua: PIN });
    redis.defineCommand('ppBlobDoom', { numberOfKeys: 2, lua: DOOM });
  }

  private get commands(): FenceCommands {
    return this.redis as unknown as FenceCommands;
  }

  /** Pins every hash; waits (briefly) for blobs the collector is deleting at this moment. */
  async pin(shas: readonly string[]): Promise<void> {
    let todo = [...new Set(shas)];
    const deadline = Date.now() + this.waitMs;
    for (let pause = 20; todo.length > 0; pause = Math.min(pause * 2, 500)) {
      const busy: string[] = [];
      for (let i = 0; i < todo.length; i += 1000) busy.push(...(await this.commands.ppBlobPin(this.pins, this.doomed, this.pinMs, ...todo.slice(i, i + 1000))));
      todo = busy;
      if (todo.length === 0) return;
      if (Date.now() > deadline) {
        throw new AppError(503, 'storage_busy', 'Storage clean-up is holding files this save needs; nothing was saved. Try again in a moment.', undefined, {
          'Retry-After': '5',
        });
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** The collector's claim before deleting a blob: false when a save has it pinned. */
  async doom(sha: string): Promise<boolean> {
    return (await this.commands.ppBlobDoom(this.pins, this.doomed, this.doomMs, sha)) === 1;
  }

  /** Ends the claim once the blob is deleted (or the delete failed). */
  async release(sha: string): Promise<void> {
    await this.redis.zrem(this.doomed, sha);
  }

  /** Drops lapsed pins and claims (their scores are Redis-clock ms). */
  async prune(): Promise<void> {
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    await this.redis.zremrangebyscore(this.pins, '-inf', now);
    await this.redis.zremrangebyscore(this.doomed, '-inf', now);
  }
}
