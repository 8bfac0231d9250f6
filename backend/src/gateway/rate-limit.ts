import { createHash } from 'node:crypto';
import type { RedisClient } from '@patchpad/shared/server';
import { AppError } from '../http/errors';
import { defineScript, type Script as RedisScript } from '@patchpad/shared/server';

/** How long a leased token may wait for a call before it is dropped (so a lease never hoards). */
const LEASE_MS = 1000;

/**
 * Calls per minute per gateway credential, shared by every instance through one token bucket
 * in Redis. Each instance leases tokens for a second at a time so that most calls need no
 * Redis round trip; leased tokens come out of the shared bucket, so together the instances
 * can fall short of the limit, never exceed it. A lease follows demand: it doubles when the
 * last one ran out before its second was up and halves when tokens were left, between 1 and
 * 1 % of a minute's budget. So a busy instance asks Redis about once a second, and what can
 * go unused is at most about two seconds of one instance's own traffic.
 * The credential is known by a hash of it, never by its value.
 */
export class CredentialRateLimit {
  private readonly take: RedisScript;
  private readonly ids = new Map<string, string>();
  private readonly leases = new Map<string, { tokens: number; until: number; size: number }>();
  private readonly maxLease: number;
  private readonly leasing = new Map<string, Promise<{ granted: number; waitMs: number }>>();

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly perMinute: number,
  ) {
    this.take = defineScript(redis, new URL('./lua/token-bucket-1.lua', import.meta.url));
    this.maxLease = Math.max(1, Math.floor(perMinute / 100));
  }

  async hit(credential: string): Promise<void> {
    let id = this.ids.get(credential);
    if (!id) {
      id = createHash('sha256').update(credential).digest('hex').slice(0, 16);
      this.ids.set(credential, id);
    }
    // One lease request at a time per credential; calls arriving meanwhile share its tokens.
    for (;;) {
      const held = this.leases.get(id);
      if (held && held.tokens > 0 && held.until > Date.now()) {
        held.tokens--;
        return;
      }
      let pending = this.leasing.get(id);
      if (!pending) {
        pending = this.fetchLease(id);
        this.leasing.set(id, pending);
      }
      const outcome = await pending;
      if (outcome.granted === 0) this.refuse(outcome.waitMs);
    }
  }

  /** Takes tokens from the shared bucket into this instance's lease before anyone resumes. */
  private async fetchLease(id: string): Promise<{ granted: number; waitMs: number }> {
    try {
      const key = `${this.prefix}:{gw:${id}}:bucket`;
      const last = this.leases.get(id);
      const size = last ? nextLeaseSize(last, Date.now(), this.maxLease) : 1;
      const [granted, waitMs] = (await this.take([key], [this.perMinute, this.perMinute / 60_000, size])) as [number, number];
      if (granted > 0) this.leases.set(id, { tokens: granted, until: Date.now() + LEASE_MS, size });
      return { granted, waitMs };
    } finally {
      this.leasing.delete(id);
    }
  }

  private refuse(waitMs: number): never {
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError(
      429,
      'rate_limited',
      `This gateway credential may make ${this.perMinute} calls per minute; try again in ${retryAfter} s`,
      { limit: this.perMinute, retryAfterS: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

/** The next lease: twice the last if it ran out early, half if tokens were left when it lapsed. */
export function nextLeaseSize(last: { tokens: number; until: number; size: number }, now: number, max: number): number {
  const ranOutEarly = last.tokens === 0 && now < last.until;
  const next = ranOutEarly ? last.size * 2 : last.tokens > 0 ? Math.floor(last.size / 2) : last.size;
  return Math.max(1, Math.min(max, next));
}
