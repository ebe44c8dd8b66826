/** Cursor pagination over time-ordered ids (UUIDv7): stable under inserts, and the cursor is opaque to clients. */
import { z } from 'zod';
import { AppError } from '../errors.ts';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const id = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'cursor is not one this API issued', { details: [{ path: 'cursor', message: 'invalid' }] });
}

export function page<T extends { id: string }>(rows: T[], limit: number): { data: T[]; next_cursor: string | null } {
  const data = rows.slice(0, limit);
  const more = rows.length > limit;
  const last = data.at(-1);
  return { data, next_cursor: more && last ? btoa(last.id).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : null };
}
