/** Recognises Postgres errors by SQLSTATE; PGlite, pg and Neon all expose it as `code`. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
