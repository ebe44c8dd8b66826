import { describe, expect, it } from 'vitest';
import { licenceStatus } from './licence-status.ts';

describe('licenceStatus', () => {
  it.each([
    ['2026-05-31', 'expired'],
    ['2026-06-01', 'expires_within_7_days'],
    ['2026-06-07', 'expires_within_7_days'],
    ['2026-06-08', 'expires_within_30_days'],
    ['2026-06-30', 'expires_within_30_days'],
    ['2026-07-01', 'valid'],
  ])('a licence expiring on %s is %s on 2026-06-01', (expiresOn, status) => {
    expect(licenceStatus(expiresOn, '2026-06-01')).toBe(status);
  });
});
