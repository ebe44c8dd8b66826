/**
 * When a failed model call is worth trying again, and how long to wait: exponential backoff with jitter, at least
 * what the server asked for in Retry-After. Pure, so the waits are tested without waiting.
 */

/** Waits longer than this are not honoured by retrying here: the caller (a queued job) should come back later. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/** Delay before retry number `retry` (1-based): base·2^(retry−1), capped, with jitter in [50 %, 100 %] of it. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (retry - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/**
 * The wait a server asked for, in ms: OpenAI's `retry-after-ms`, else `retry-after` as seconds or an HTTP date.
 * Null when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  if (!headers) return null;
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** 429 (rate limit) and 5xx are transient; any other 4xx says the request itself is wrong, and is final. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
