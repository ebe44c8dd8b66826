/**
 * Browser sessions: the same tokens as API clients get, carried in cookies — the access token and refresh token
 * httpOnly (scripts never see them), Secure and SameSite — plus a readable CSRF cookie. A write authenticated by
 * cookie must echo that CSRF value in `X-CSRF-Token` (double submit), which a cross-site form cannot do.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../errors.ts';

export const ACCESS_COOKIE = 'tw_access';
export const REFRESH_COOKIE = 'tw_refresh';
export const CSRF_COOKIE = 'tw_csrf';
const REFRESH_PATH = '/api/v1/auth';

export function setSessionCookies(c: Context, tokens: { access_token: string; refresh_token: string }) {
  const csrf = Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
  setCookie(c, ACCESS_COOKIE, tokens.access_token, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: 3600 });
  setCookie(c, REFRESH_COOKIE, tokens.refresh_token, { httpOnly: true, secure: true, sameSite: 'Strict', path: REFRESH_PATH, maxAge: 30 * 86_400 });
  setCookie(c, CSRF_COOKIE, csrf, { httpOnly: false, secure: true, sameSite: 'Strict', path: '/', maxAge: 30 * 86_400 });
}

export function clearSessionCookies(c: Context) {
  deleteCookie(c, ACCESS_COOKIE, { path: '/', secure: true });
  deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_PATH, secure: true });
  deleteCookie(c, CSRF_COOKIE, { path: '/', secure: true });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Throws 403 when a state-changing request relies on cookies without the matching CSRF header. */
export function requireCsrf(c: Context): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const cookie = getCookie(c, CSRF_COOKIE);
  const header = c.req.header('x-csrf-token');
  if (!cookie || !header || cookie !== header) {
    throw new AppError('forbidden', 'cookie-authenticated writes need the X-CSRF-Token header (the tw_csrf cookie value)');
  }
}

export const accessTokenCookie = (c: Context) => getCookie(c, ACCESS_COOKIE);
export const refreshTokenCookie = (c: Context) => getCookie(c, REFRESH_COOKIE);
