/**
 * In CI (CI=true) every service, tool and browser the tests use must be there: a suite that would skip for want
 * of one fails instead, so a green run cannot hide a skipped suite. Outside CI the suite skips and says why.
 */
import { describe } from 'vitest';

export const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** Returns `available` outside CI (after warning when false); in CI throws when it is false. */
export function requiredInCi(available: boolean, what: string, howToGet: string): boolean {
  if (available) return true;
  const message = `${what} is not available (${howToGet})`;
  if (inCi) throw new Error(`${message}: CI=true requires it, so the suites that need it fail instead of skipping.`);
  console.warn(`${message}: the suites that need it are skipped.`);
  return false;
}

/**
 * `describe.each` over cases some of which may be unavailable (Postgres not answering): the unavailable ones are
 * declared and skipped, so the report counts them, instead of silently dropping them from the list.
 */
export function describeEachAvailable<T extends { available: boolean }>(cases: T[]) {
  return (title: string, body: (testCase: T) => void): void => {
    const present = cases.filter((c) => c.available);
    const missing = cases.filter((c) => !c.available);
    if (present.length > 0) describe.each(present)(title, body);
    if (missing.length > 0) describe.skip.each(missing)(title, body);
  };
}
