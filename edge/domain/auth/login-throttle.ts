/**
 * Slows password guessing: at most 5 failed logins per account and 20 per IP address in a 15-minute window.
 * Fixed windows keep an attacker from locking a real user out for longer than the rest of one window.
 *
 * Each attempt takes a slot with the cache's atomic increment BEFORE the password or code is checked, so
 * concurrent guesses cannot all read "under the limit" and all be evaluated: the 6th concurrent guess on one
 * account sees 6 and is refused unchecked. A success gives its slot back (only failures count); a refused
 * attempt gives its slots back too, so being refused does not lengthen anyone's lockout.
 */
import { AppError } from '../../errors.ts';
import type { Cache } from '../../ports/cache.ts';
import type { Clock } from '../../ports/clock.ts';

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/** A taken slot: `succeeded()` returns it, a failure keeps it (the failure is counted). */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

export function createLoginThrottle(cache: Cache, clock: Clock) {
  const window = () => Math.floor(clock.now() / 1000 / LOGIN_WINDOW_SECONDS);
  const keys = (email: string, ip: string) => {
    const w = window();
    return { account: `login-failures:account:${email}:${w}`, ip: `login-failures:ip:${ip}:${w}` };
  };
  const retryAfter = () => (window() + 1) * LOGIN_WINDOW_SECONDS - Math.floor(clock.now() / 1000);
  const release = (k: { account: string; ip: string }) =>
    Promise.all([cache.increment(k.account, -1, { ttlSeconds: LOGIN_WINDOW_SECONDS }), cache.increment(k.ip, -1, { ttlSeconds: LOGIN_WINDOW_SECONDS })]);

  return {
    /** Takes a slot on the account and the address, or throws 429 when either is used up. */
    async begin(email: string, ip: string): Promise<LoginAttempt> {
      const k = keys(email, ip);
      const [account, byIp] = await Promise.all([
        cache.increment(k.account, 1, { ttlSeconds: LOGIN_WINDOW_SECONDS }),
        cache.increment(k.ip, 1, { ttlSeconds: LOGIN_WINDOW_SECONDS }),
      ]);
      if (account > MAX_FAILURES_PER_ACCOUNT || byIp > MAX_FAILURES_PER_IP) {
        await release(k);
        throw new AppError('rate_limited', 'too many failed logins; try again later', { retryAfterSeconds: retryAfter() });
      }
      return { succeeded: async () => void (await release(k)) };
    },
  };
}
