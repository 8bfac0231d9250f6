import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditCheckpoint } from '@patchpad/shared';

/**
 * The audit chain, pure: each entry's MAC covers the previous MAC, its sequence number, its
 * stream id and its exact bytes, keyed with a secret that never reaches Redis. Changing,
 * removing or reordering any entry breaks every MAC from there on, and nobody with only Redis
 * access can compute new ones. (An unkeyed hash chain, which anyone can recompute after an
 * edit, protects nothing against that person.)
 */
export type ChainHead = { seq: number; mac: string; id: string };
export const EMPTY_HEAD: ChainHead = { seq: 0, mac: '', id: '' };

export type ChainLink = { id: string; seq: number; mac: string; body: string };

export function linkMac(key: Buffer, prevMac: string, seq: number, id: string, body: string): string {
  return createHmac('sha256', key).update(`${prevMac}\n${seq}\n${id}\n`).update(body).digest('hex');
}

/** Names a key without revealing it, so a verify with the wrong key says so instead of "tampered". */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('patchpad-audit-key-id\n').update(key).digest('hex').slice(0, 16);
}

export function checkpointSig(key: Buffer, cp: Omit<AuditCheckpoint, 'sig'>): string {
  const fields = [cp.seq, cp.id, cp.mac, cp.at, cp.segment, cp.segmentSha256, cp.keyId].join('\n');
  return createHmac('sha256', key).update(`checkpoint\n${fields}`).digest('hex');
}

export function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export type ChainFault = { id: string | null; seq: number | null; reason: string };

/**
 * Walks links in order from `start`; `feed` returns the first fault it finds (and keeps
 * returning it), so a caller can stream millions of entries through it in pages.
 */
export class ChainWalker {
  private head: ChainHead;
  private fault: ChainFault | null = null;

  constructor(
    private readonly key: Buffer,
    start: ChainHead = EMPTY_HEAD,
  ) {
    this.head = start;
  }

  get state(): ChainHead {
    return this.head;
  }

  get firstFault(): ChainFault | null {
    return this.fault;
  }

  feed(link: ChainLink): ChainFault | null {
    if (this.fault) return this.fault;
    if (link.seq !== this.head.seq + 1) {
      const reason =
        link.seq > this.head.seq + 1
          ? `entries ${this.head.seq + 1}–${link.seq - 1} are missing before this one`
          : `sequence ${link.seq} repeats or goes back (expected ${this.head.seq + 1})`;
      return (this.fault = { id: link.id, seq: link.seq, reason });
    }
    if (!sameHex(linkMac(this.key, this.head.mac, link.seq, link.id, link.body), link.mac)) {
      return (this.fault = { id: link.id, seq: link.seq, reason: 'entry was modified: its MAC does not match its content and place' });
    }
    this.head = { seq: link.seq, mac: link.mac, id: link.id };
    return null;
  }
}
