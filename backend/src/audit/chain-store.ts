import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { auditCheckpointSchema, type AuditCheckpoint, type AuditVerifyResult } from '@patchpad/shared';
import { defineScript, Lease, runUnderLease, type RedisClient, type Script } from '@patchpad/shared/server';
import type { Logger } from '../log';
import type { ProjectStore } from '../projects/store';
import { checkpointSig, ChainWalker, EMPTY_HEAD, keyId, linkMac, sameHex, type ChainFault, type ChainHead } from './chain';
import { auditKeys, fieldMap, indexKeysOf } from './log';

export type AuditArchive = Pick<ProjectStore, 'putObject' | 'getObject' | 'listObjects'>;

export type AuditChainOptions = {
  redis: RedisClient;
  prefix: string;
  /** The HMAC key: from AUDIT_HMAC_KEY, never stored in Redis. */
  key: Buffer;
  archive: AuditArchive;
  log: Logger;
  /** Seal a checkpoint after this many new entries… */
  checkpointEvery: number;
  /** …or this long after the last one, whichever comes first. */
  checkpointIntervalMs: number;
  batch?: number;
};

const pad = (n: number) => String(n).padStart(12, '0');

/** An accepted entry's fields, or none if it is not JSON (it is chained all the same). */
function parseQuietly(body: string): Record<string, string> {
  try {
    return JSON.parse(body) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * The integrating side of the audit log (Certificate Transparency's model: accept first,
 * integrate after). One process at a time, holding a lease, takes accepted entries in stream
 * order, chains them with keyed MACs, and now and then seals a checkpoint — the chain head plus
 * the entries since the previous one — into the project store, so the log outlives Redis and a
 * truncation of Redis (head included) is still caught.
 */
export class AuditChain {
  private readonly keys: ReturnType<typeof auditKeys>;
  private readonly integrateScript: Script<number>;
  private readonly keyId: string;
  private readonly lease: Lease;
  private readonly batch: number;

  constructor(private readonly options: AuditChainOptions) {
    this.keys = auditKeys(options.prefix);
    this.integrateScript = defineScript(options.redis, new URL('./lua/audit-integrate-n.lua', import.meta.url));
    this.keyId = keyId(options.key);
    this.lease = new Lease(options.redis, this.keys.lease, 5_000);
    this.batch = options.batch ?? 500;
  }

  async head(): Promise<ChainHead> {
    const h = await this.options.redis.hgetall(this.keys.head);
    return h.seq ? { seq: Number(h.seq), mac: h.mac ?? '', id: h.id ?? '' } : EMPTY_HEAD;
  }

  /** Chains up to one batch of pending entries; returns how many. Call only while holding the lease. */
  async integrateBatch(): Promise<number> {
    const { redis, key } = this.options;
    // The head first, then the rows: the script's head check then voids a batch whose rows
    // another round chained meanwhile. Read the other way round, a round that read its rows
    // before that commit and the head after it passed the check and re-added chained ids.
    let head = await this.head();
    const rows = await redis.xrange(this.keys.inbox, '-', '+', 'COUNT', this.batch);
    if (rows.length === 0) return 0;
    const keys = [this.keys.inbox, this.keys.log, this.keys.head];
    const position = new Map<string, number>();
    const args: (string | number)[] = [head.seq, rows.length];
    for (const [id, fields] of rows) {
      const body = fieldMap(fields).e ?? '{}';
      const seq = head.seq + 1;
      const mac = linkMac(key, head.mac, seq, id, body);
      const indexes = indexKeysOf(this.keys, parseQuietly(body));
      for (const k of indexes) if (!position.has(k)) position.set(k, keys.push(k));
      args.push(id, seq, mac, body, indexes.length, ...indexes.map((k) => position.get(k)!));
      head = { seq, mac, id };
    }
    // -1: another integrator chained first (its lease lapsed mid-batch); this batch is void.
    return (await this.integrateScript(keys, args)) === -1 ? -1 : rows.length;
  }

  /**
   * Integrates everything pending now (under the lease, or by waiting for whoever holds it to
   * finish), then seals a checkpoint if one is due. Returns entries this call chained.
   */
  async drain(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    while (Date.now() < deadline) {
      if (await this.lease.acquire()) {
        for (let n = await this.integrateBatch(); n !== 0; n = await this.integrateBatch()) if (n > 0) total += n;
        await this.sealIfDue();
        return total;
      }
      if ((await this.options.redis.xlen(this.keys.inbox)) === 0) return total;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`audit entries are still waiting to be chained after ${timeoutMs} ms`);
  }

  /** Runs integration in the background wherever the lease is free; returns a stop function. */
  start(idleMs = 100): () => Promise<void> {
    return runUnderLease(
      this.lease,
      idleMs,
      () => this.drain(),
      (err) => this.options.log.warn({ err }, 'audit integration round failed; retrying'),
    );
  }

  private async sealIfDue(): Promise<void> {
    const { redis, archive, key, checkpointEvery, checkpointIntervalMs } = this.options;
    const h = await redis.hgetall(this.keys.head);
    const seq = Number(h.seq ?? 0);
    const sealedSeq = Number(h.cpSeq ?? 0);
    if (h.cpAt === undefined) {
      // The first round starts the clock: the first checkpoint comes after the interval (or
      // `checkpointEvery` entries), not at every process start.
      await redis.hset(this.keys.head, 'cpAt', Date.now());
      return;
    }
    if (seq === sealedSeq || (seq - sealedSeq < checkpointEvery && Date.now() - Number(h.cpAt) < checkpointIntervalMs)) return;
    const rows = await redis.xrange(this.keys.log, h.cpId ? `(${h.cpId}` : '-', '+', 'COUNT', seq - sealedSeq);
    if (rows.length === 0) return;
    const lines = rows.map(([id, fields]) => {
      const f = fieldMap(fields);
      return JSON.stringify({ id, seq: Number(f.s), mac: f.m, e: f.e });
    });
    const last = JSON.parse(lines[lines.length - 1]!) as { id: string; seq: number; mac: string };
    const first = JSON.parse(lines[0]!) as { seq: number };
    const segment = `audit/segments/${pad(first.seq)}-${pad(last.seq)}.ndjson.gz`;
    const gz = gzipSync(`${lines.join('\n')}\n`);
    await archive.putObject(segment, gz);
    const unsigned = {
      seq: last.seq,
      id: last.id,
      mac: last.mac,
      at: new Date().toISOString(),
      segment,
      segmentSha256: createHash('sha256').update(gz).digest('hex'),
      keyId: this.keyId,
    };
    const checkpoint: AuditCheckpoint = { ...unsigned, sig: checkpointSig(key, unsigned) };
    await archive.putObject(`audit/checkpoints/${pad(last.seq)}.json`, Buffer.from(JSON.stringify(checkpoint)));
    await redis.hset(this.keys.head, 'cpSeq', last.seq, 'cpId', last.id, 'cpAt', Date.now());
    this.options.log.info({ seq: last.seq, entries: rows.length, segment }, 'audit checkpoint sealed');
  }

  /** Sealed checkpoints, oldest first; a forged or foreign one is reported as the fault. */
  private async checkpoints(): Promise<{ list: AuditCheckpoint[]; fault: ChainFault | null }> {
    const names = await this.options.archive.listObjects('audit/checkpoints/');
    const list: AuditCheckpoint[] = [];
    for (const name of names) {
      const raw = await this.options.archive.getObject(name);
      const parsed = auditCheckpointSchema.safeParse(raw ? JSON.parse(raw.toString('utf8')) : null);
      if (!parsed.success) return { list, fault: { id: null, seq: null, reason: `checkpoint ${name} is unreadable` } };
      const cp = parsed.data;
      if (cp.keyId !== this.keyId) {
        return {
          list,
          fault: { id: cp.id, seq: cp.seq, reason: `checkpoint ${cp.seq} was sealed with another key (${cp.keyId}); set AUDIT_HMAC_KEY to that key` },
        };
      }
      const { sig, ...unsigned } = cp;
      if (!sameHex(checkpointSig(this.options.key, unsigned), sig))
        return { list, fault: { id: cp.id, seq: cp.seq, reason: `checkpoint ${cp.seq} has a forged signature` } };
      list.push(cp);
    }
    return { list: list.sort((a, b) => a.seq - b.seq), fault: null };
  }

  /**
   * Walks the whole chain and every sealed checkpoint; reports the first entry that does not
   * verify. Pending entries (accepted, not yet chained) are counted, not judged.
   */
  async verify(): Promise<AuditVerifyResult> {
    const { redis, key } = this.options;
    const [{ list: checkpoints, fault: cpFault }, pending] = await Promise.all([this.checkpoints(), redis.xlen(this.keys.inbox)]);
    const walker = new ChainWalker(key);
    const bad = (fault: ChainFault): AuditVerifyResult => ({
      ok: false,
      entries: walker.state.seq,
      pending,
      checkpoints: checkpoints.length,
      firstBad: { id: fault.id, seq: fault.seq },
      reason: fault.reason,
    });
    if (cpFault) return bad(cpFault);
    let next = 0;
    for (let cursor = '-'; ;) {
      const rows = await redis.xrange(this.keys.log, cursor, '+', 'COUNT', 1000);
      for (const [id, fields] of rows) {
        const f = fieldMap(fields);
        const fault = walker.feed({ id, seq: Number(f.s), mac: f.m ?? '', body: f.e ?? '' });
        if (fault) return bad(fault);
        const cp = checkpoints[next];
        if (cp && cp.seq === walker.state.seq) {
          if (cp.id !== id || !sameHex(cp.mac, walker.state.mac)) return bad({ id, seq: cp.seq, reason: `entry differs from sealed checkpoint ${cp.seq}` });
          next++;
        }
      }
      if (rows.length < 1000) break;
      cursor = `(${rows[rows.length - 1]![0]}`;
    }
    const end = walker.state;
    const head = await this.head();
    if (head.seq !== end.seq || !sameHex(head.mac, end.mac)) {
      return bad({
        id: null,
        seq: end.seq + 1,
        reason: `the chain head says entry ${head.seq}, but the log ends at ${end.seq}: entries were removed or the head was changed`,
      });
    }
    const lastSealed = checkpoints[checkpoints.length - 1];
    if (lastSealed && lastSealed.seq > end.seq) {
      return bad({
        id: null,
        seq: end.seq + 1,
        reason: `the log ends at entry ${end.seq}, but checkpoint ${lastSealed.seq} was sealed: entries ${end.seq + 1}–${lastSealed.seq} were removed`,
      });
    }
    return { ok: true, entries: end.seq, pending, checkpoints: checkpoints.length };
  }
}
