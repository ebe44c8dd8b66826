/**
 * A json/jsonb column's value as the drivers hand it over: pg, Neon and PGlite parse it into a value, but a value
 * written as JSON text into a text-typed expression (or read through another path) arrives as a string.
 */
export const fromJson = <T = unknown>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
