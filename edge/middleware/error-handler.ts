/**
 * The one place errors become HTTP answers: AppError codes map to statuses (errors.ts), malformed JSON
 * and zod failures become 400s, anything else a 500 whose details stay in the log, never in the body.
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
  return new AppError('internal', 'internal error; the request id identifies it in the server log', { cause: error });
}
