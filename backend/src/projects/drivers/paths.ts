import { createHash } from 'node:crypto';

/**
 * A storage path segment from an id we did not mint (a Firebase uid) or did: plain ids pass
 * through; anything else is hashed, so no input can climb out of its folder.
 */
export function safeSegment(value: string): string {
  return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : `h-${createHash('sha256').update(value).digest('hex').slice(0, 40)}`;
}

/** An object name of our own making (`audit/checkpoints/000001.json`): refuses anything that could climb out. */
export function objectName(name: string): string {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*\/?$/.test(name) || name.split('/').some((s) => s === '..' || s === '.')) {
    throw new Error(`not a valid object name: ${name}`);
  }
  return name;
}
