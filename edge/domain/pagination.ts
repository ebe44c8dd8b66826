/** Cursor pagination over time-ordered ids (UUIDv7): stable under inserts, and the cursor is opaque to clients. */
import { z } from 'zod';
import { AppError } from '../errors.ts';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const CURSOR_TAG = 'c1:';

export function encodeCursor(value: string): string {
  return btoa(CURSOR_TAG + value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The position a cursor encodes (the last id, or another sort key); 400 for anything this API did not issue. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    if (value.startsWith(CURSOR_TAG)) return value.slice(CURSOR_TAG.length);
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'cursor is not one this API issued', { details: [{ path: 'cursor', message: 'invalid' }] });
}

/** One page from `limit + 1` fetched rows; the cursor is the last row's position (its id unless told otherwise). */
export function page<T>(rows: T[], limit: number, positionOf: (row: T) => string = (row) => (row as { id: string }).id): { data: T[]; next_cursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
