/** Access tokens: short-lived JWTs (HS256, jose) carrying who the caller is and which fleet they belong to. */
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'taxiwatch';

/** Who is calling: a signed-in user, or an integrator's API key (which acts inside one fleet, within its scopes). */
export interface Principal {
  /** null for API keys. */
  userId: string | null;
  role: 'admin' | 'owner' | 'viewer';
  /** null for platform admins. */
  fleetId: string | null;
  /** Set for API keys: what the key may do (e.g. read:vehicles); users are bounded by their role instead. */
  apiKey?: { id: string; scopes: string[] };
  /** The login (refresh-token family) an access token belongs to, so logging out can end it early. */
  sessionId?: string;
  /** When the access token was issued (seconds since the epoch), against an operator's reset of the account. */
  issuedAt?: number;
}

const keyOf = (secret: string) => {
  if (!secret) throw new AppError('not_configured', 'access tokens are not configured: set JWT_SECRET');
  return new TextEncoder().encode(secret);
};

export async function issueAccessToken(principal: Principal & { userId: string }, secret: string, clock: Clock): Promise<{ token: string; expiresAt: string }> {
  const now = Math.floor(clock.now() / 1000);
  const token = await new SignJWT({ role: principal.role, fid: principal.fleetId, ...(principal.sessionId ? { sid: principal.sessionId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(principal.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(keyOf(secret));
  return { token, expiresAt: new Date((now + ACCESS_TOKEN_TTL_SECONDS) * 1000).toISOString() };
}

/** A token without `exp` would never expire: `exp` is required, not only checked when present (jose's default). */
export async function verifyAccessToken(token: string, secret: string, clock: Clock): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { issuer: ISSUER, algorithms: ['HS256'], currentDate: new Date(clock.now()), requiredClaims: ['exp', 'sub'] });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || (role !== 'admin' && role !== 'owner' && role !== 'viewer')) {
      throw new AppError('unauthorized', 'access token is malformed');
    }
    return {
      userId: payload.sub,
      role,
      fleetId: typeof payload.fid === 'string' ? payload.fid : null,
      ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
      ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}),
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const expired = error instanceof errors.JWTExpired;
    throw new AppError('unauthorized', expired ? 'access token has expired; refresh it' : 'access token is invalid', {
      cause: error,
      details: { reason: expired ? 'token_expired' : 'token_invalid' },
    });
  }
}
