import { AppError } from '../http/errors';

/**
 * Page cursors over a list the server sorts (users, tasks): an offset, opaque to clients so the
 * encoding can change without breaking them.
 */
export const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw AppError.badRequest('cursor is not one this API returned; start again without it');
  return Number(match[1]);
}
