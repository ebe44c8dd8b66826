/** Parses input with a zod schema (refusing control characters anywhere in it), turning failures into the API's validation_failed error. */
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { rejectControlCharacters } from './control-characters.ts';

/** Control characters are refused before the schema runs, so no route needs a rule of its own for them. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  rejectControlCharacters(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError('validation_failed', details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '), { details });
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
