/** POST /api/v1/auth/login | refresh | logout, and GET /api/v1/auth/me. */
import type { RouteDoc } from '../openapi/route-docs.ts';
import { credentials } from '../domain/auth/sessions.ts';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { login, logout, refresh, type SessionDeps } from '../domain/auth/sessions.ts';
import { parseInput } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import { clearSessionCookies, refreshTokenCookie, requireCsrf, setSessionCookies } from '../middleware/session-cookies.ts';
import type { Platform } from '../platform.ts';

// Browsers send no body: the refresh token comes from its cookie.
const optionalRefreshBody = z.object({ refresh_token: z.string().min(1).max(200).optional() });

async function jsonBody(c: import('hono').Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch (error) {
    throw new AppError('bad_request', 'request body must be JSON', { cause: error });
  }
}

export function registerAuth(app: Hono<AppEnv>, platform: Platform) {
  const deps: SessionDeps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids, cache: platform.cache, bus: platform.bus, jwtSecret: platform.jwtSecret };

  app.post('/api/v1/auth/login', async (c) => {
    const result = await login(deps, await jsonBody(c), clientIp(c));
    if ('access_token' in result) setSessionCookies(c, result);
    return c.json(result);
  });

  /** The refresh token from the body (API clients) or the cookie (browsers, which must send the CSRF header). */
  async function presentedRefreshToken(c: import('hono').Context<AppEnv>): Promise<string> {
    const text = (await c.req.text()).trim();
    let body: unknown = {};
    try {
      if (text) body = JSON.parse(text);
    } catch (error) {
      throw new AppError('bad_request', 'request body must be JSON', { cause: error });
    }
    const fromBody = parseInput(optionalRefreshBody, body).refresh_token;
    if (fromBody) return fromBody;
    const fromCookie = refreshTokenCookie(c);
    if (!fromCookie) throw new AppError('validation_failed', 'send refresh_token in the body', { details: [{ path: 'refresh_token', message: 'required' }] });
    requireCsrf(c);
    return fromCookie;
  }

  app.post('/api/v1/auth/refresh', async (c) => {
    const tokens = await refresh(deps, await presentedRefreshToken(c), clientIp(c));
    setSessionCookies(c, tokens);
    return c.json(tokens);
  });

  app.post('/api/v1/auth/logout', async (c) => {
    await logout(deps, await presentedRefreshToken(c), clientIp(c));
    clearSessionCookies(c);
    return c.body(null, 204);
  });

  app.get('/api/v1/auth/me', requireUser(platform), async (c) => {
    const { userId, apiKey, fleetId } = c.var.principal;
    if (apiKey || !userId) return c.json({ api_key: apiKey ?? null, fleet_id: fleetId });
    const user = await deps.db.selectFrom('users').select(['id', 'email', 'name', 'role', 'fleet_id', 'created_at']).where('id', '=', userId).executeTakeFirst();
    if (!user) throw new AppError('unauthorized', 'the account no longer exists');
    return c.json({ ...user, created_at: user.created_at.toISOString() });
  });
}

export const authDocs: RouteDoc[] = [
  { method: 'post', path: '/api/v1/auth/login', summary: 'Log in with email and password', tag: 'Auth', auth: 'none', body: credentials, responses: { 200: 'Session tokens, or the second-factor step', 401: 'Invalid email or password', 429: 'Too many failures' } },
  { method: 'post', path: '/api/v1/auth/refresh', summary: 'Exchange a refresh token (rotates it); browsers use the cookie', tag: 'Auth', auth: 'none', body: optionalRefreshBody, responses: { 200: 'New session tokens', 401: 'Invalid, expired or reused token' } },
  { method: 'post', path: '/api/v1/auth/logout', summary: 'Revoke the session', tag: 'Auth', auth: 'none', body: optionalRefreshBody, responses: { 204: 'Logged out' } },
  { method: 'get', path: '/api/v1/auth/me', summary: 'Who am I', tag: 'Auth', auth: 'bearer', responses: { 200: 'The user, or the API key', 401: 'Not authenticated' } },
];
