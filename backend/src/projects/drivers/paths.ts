import { createHash } from 'node:crypto';

/**
 * A storage path segment from an id we did not mint (a Firebase uid) or did: plain ids pass
 * through; anything else is hashed, so no input can climb out of its folder.
 */
export function safeSegment(value: string): string {
  return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : `h-${createHash('sha256').update(value).digest('hex').slice(0, 40)}`;
}
