/** Logs test users in through the real API, completing TOTP for platform admins. */
import type { Hono } from 'hono';
import { totpCode } from '../../edge/domain/auth/totp.ts';
import type { Clock } from '../../edge/ports/clock.ts';

export async function loginForTest(app: Hono<any>, clock: Clock, email: string, password: string): Promise<string> {
  const post = async (path: string, body: unknown) =>
    (await app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).json();
  const first = await post('/api/v1/auth/login', { email, password });
  if (first.access_token) return first.access_token;
  if (!first.mfa_setup_required) throw new Error(`login for ${email} did not succeed: ${JSON.stringify(first)}`);
  const { secret } = await post('/api/v1/auth/mfa/enroll', { mfa_token: first.mfa_token });
  const verified = await post('/api/v1/auth/mfa/verify', { mfa_token: first.mfa_token, code: totpCode(secret, clock.now()) });
  return verified.access_token;
}
