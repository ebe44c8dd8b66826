import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryableStatus, retryAfterMs } from './retry-policy.ts';

describe('retry policy', () => {
  it('doubles the backoff per retry, caps it at 8 s, and jitters within 50–100 %', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect([1, 2, 3].map((n) => backoffMs(n, () => 0))).toEqual([250, 500, 1000]);
    expect(backoffMs(2, () => 0.5)).toBe(750);
  });

  it('reads retry-after-ms first, then retry-after as seconds or as an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2026-11-29T08:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 29 Nov 2026 08:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 29 Nov 2026 07:59:00 GMT' }), now)).toBe(0);
  });

  it('ignores a missing or unreadable Retry-After', () => {
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs(new Headers())).toBeNull();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeNull();
    expect(retryAfterMs(new Headers({ 'retry-after': '-3' }))).toBeNull();
  });

  it('retries 429 and 5xx only; other 4xx are final', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 408, 409, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});
