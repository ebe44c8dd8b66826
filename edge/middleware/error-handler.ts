/**
 * The one place errors become HTTP answers: AppError codes map to statuses (errors.ts), malformed JSON
 * and zod failures become 400s, a database refusing a value as invalid input a 400, a vanished reference or a duplicate key a 409, anything else a 500 whose
 * details stay in the log, never in the body.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { AppError, errorBody, type ErrorCode } from '../errors.ts';

export function respondWithError(c: Context<AppEnv>, error: AppError): Response {
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  return c.json(
    errorBody(error.code, error.message, error.details, c.get('requestId')),
    error.status as ContentfulStatusCode,
  );
}

export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    c.var.log?.error('request failed', { error, code: appError.code });
  }
  return respondWithError(c, appError);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  respondWithError(c, new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`));

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError('validation_failed', 'request failed validation', {
      details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  if (error instanceof SyntaxError) {
    return new AppError('bad_request', 'request body is not valid JSON', { cause: error });
  }
  if (error instanceof HTTPException) {
    const code = HTTP_CODES[error.status] ?? 'internal';
    return new AppError(code, error.message || code.replace(/_/g, ' '), { cause: error });
  }
  const sqlState = sqlStateOf(error);
  if (sqlState?.startsWith('22')) {
    // The value cannot be stored or compared as sent (NUL in text, a malformed number, out of range): the request's
    // fault, so a 4xx the client (and a device) drops, not a 5xx it retries. The database's text stays in the log.
    return new AppError('bad_request', 'a value in the request is not valid for the database; check the fields for control characters, huge numbers or malformed values', { details: { reason: 'invalid_value', sqlstate: sqlState }, cause: error });
  }
  if (sqlState === '23503' || sqlState === '23505') {
    // A row the request refers to was deleted meanwhile, or a concurrent request created the same one first:
    // retrying the same request cannot succeed either.
    const reason = sqlState === '23503' ? 'referenced_row_missing' : 'already_exists';
    return new AppError('conflict', sqlState === '23503' ? 'something this request refers to no longer exists' : 'this already exists', { details: { reason, sqlstate: sqlState }, cause: error });
  }
  return new AppError('internal', 'internal error; the request id identifies it in the server log', { cause: error });
}

/**
 * The SQLSTATE as Postgres and PGlite report it in `code`, on the error or one of its causes (drivers and Kysely may
 * wrap it): class 22 is "data exception" (22021 invalid byte sequence, 22P02 invalid text representation, 22003
 * numeric out of range, 22001 string too long, 22007 invalid datetime…), 23503 a foreign key, 23505 a unique key.
 */
function sqlStateOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = current.cause;
  }
  return null;
}
