import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { toAppError } from './error-handler.ts';

const dbError = (code: string) => Object.assign(new Error(`database said ${code}`), { code });

describe('toAppError', () => {
  it('turns a database "invalid input" error (SQLSTATE class 22) into a 400, never a 5xx', () => {
    for (const code of ['22021', '22P02', '22003', '22001', '22007']) {
      expect(toAppError(dbError(code))).toMatchObject({ status: 400, code: 'bad_request', details: { reason: 'invalid_value', sqlstate: code } });
    }
  });

  it('finds the SQLSTATE on a wrapped cause', () => {
    expect(toAppError(new Error('query failed', { cause: dbError('22P05') })).status).toBe(400);
  });

  it('answers a vanished reference or a duplicate key with 409, which a device drops instead of retrying', () => {
    expect(toAppError(dbError('23503'))).toMatchObject({ status: 409, details: { reason: 'referenced_row_missing' } });
    expect(toAppError(dbError('23505'))).toMatchObject({ status: 409, details: { reason: 'already_exists' } });
  });

  it('keeps other database failures a 500 whose text stays out of the body', () => {
    const error = toAppError(dbError('08006'));
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('08006');
    expect(toAppError(Object.assign(new Error('no code'), { code: 'ECONNREFUSED' })).status).toBe(500);
    expect(toAppError(new AppError('not_found', 'x')).status).toBe(404);
  });
});
