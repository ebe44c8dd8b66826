/**
 * Slows password guessing: at most 5 failed logins per account and 20 per IP address in a 15-minute window.
 * Fixed windows keep an attacker from locking a real user out for longer than the rest of one window.
 */
import { AppError } from '../../errors.ts';
import type { Cache } from '../../ports/cache.ts';
import type { Clock } from '../../ports/clock.ts';

const WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

export function createLoginThrottle(cache: Cache, clock: Clock) {
  const window = () => Math.floor(clock.now() / 1000 / WINDOW_SECONDS);
  const keys = (email: string, ip: string) => {
    const w = window();
    return { account: `login-failures:account:${email}:${w}`, ip: `login-failures:ip:${ip}:${w}` };
  };
  const retryAfter = () => (window() + 1) * WINDOW_SECONDS - Math.floor(clock.now() / 1000);

  return {
    async check(email: string, ip: string): Promise<void> {
      const k = keys(email, ip);
      const [account, byIp] = await Promise.all([cache.get<number>(k.account), cache.get<number>(k.ip)]);
      if ((account ?? 0) >= MAX_FAILURES_PER_ACCOUNT || (byIp ?? 0) >= MAX_FAILURES_PER_IP) {
        throw new AppError('rate_limited', 'too many failed logins; try again later', { retryAfterSeconds: retryAfter() });
      }
    },
    async recordFailure(email: string, ip: string): Promise<void> {
      const k = keys(email, ip);
      await Promise.all([
        cache.increment(k.account, 1, { ttlSeconds: WINDOW_SECONDS }),
        cache.increment(k.ip, 1, { ttlSeconds: WINDOW_SECONDS }),
      ]);
    },
  };
}
