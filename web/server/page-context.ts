/**
 * What every page needs before it renders: who is signed in (the same check as the API's, by cookie), the
 * language (?lang= switches and is remembered in a cookie; else the cookie; else the browser's Accept-Language;
 * else the fleet's locale), the fleet's timezone, and a way to read the REST API as this user.
 */
import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../edge/app-env.ts';
import type { Principal } from '../../edge/domain/auth/access-tokens.ts';
import { AppError } from '../../edge/errors.ts';
import { requireUser } from '../../edge/middleware/authenticate.ts';
import type { Platform } from '../../edge/platform.ts';
import { isLang, LANG_COOKIE, langFromAcceptLanguage, type I18n, type Lang } from '../i18n/i18n.ts';
import { i18nFor } from '../i18n/messages.ts';

export interface PageContext {
  principal: Principal | null;
  i18n: I18n;
  fleetName: string | null;
  /** The fleet's language (descriptions and alert messages are written in it), null without a fleet. */
  fleetLocale: string | null;
  config: Platform['config'];
  /** The platform's clock (tests control it). */
  now(): number;
  /** GET the API as the signed-in user; throws ApiReadError on a non-2xx answer. */
  api<T = any>(path: string): Promise<T>;
}

export class ApiReadError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(`GET ${path} answered ${status}`);
  }
}

/** The signed-in user behind the request's cookie, or null (expired, logged out, never signed in). */
async function sessionOf(c: Context<AppEnv>, platform: Platform): Promise<Principal | null> {
  try {
    await requireUser(platform)(c, async () => {});
    return c.var.principal ?? null;
  } catch (error) {
    if (error instanceof AppError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

function chooseLang(c: Context<AppEnv>, fleetLocale: string | null): Lang {
  const asked = c.req.query('lang');
  if (isLang(asked)) {
    setCookie(c, LANG_COOKIE, asked, { path: '/', maxAge: 365 * 86_400, sameSite: 'Lax' });
    return asked;
  }
  const remembered = getCookie(c, LANG_COOKIE);
  if (isLang(remembered)) return remembered;
  return langFromAcceptLanguage(c.req.header('accept-language'), isLang(fleetLocale) ? fleetLocale : 'en');
}

export async function pageContext(c: Context<AppEnv>, app: Hono<AppEnv>, platform: Platform): Promise<PageContext> {
  const principal = await sessionOf(c, platform);
  const fleet = principal?.fleetId
    ? await platform.db.kysely.selectFrom('fleets').select(['name', 'timezone', 'locale']).where('id', '=', principal.fleetId).executeTakeFirst()
    : undefined;
  const i18n = i18nFor(chooseLang(c, fleet?.locale ?? null), fleet?.timezone ?? 'UTC');
  const cookie = c.req.header('cookie') ?? '';
  return {
    principal,
    i18n,
    fleetName: fleet?.name ?? null,
    fleetLocale: fleet?.locale ?? null,
    config: platform.config,
    now: () => platform.clock.now(),
    // Through the app itself: the same tenancy, validation and JSON the islands get, and the caller's rate budget.
    async api(path) {
      const res = await app.request(path, { headers: { cookie, accept: 'application/json' } }, c.env);
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new ApiReadError(res.status, path, body);
      return body;
    },
  };
}

/** Only same-site paths may be a login's destination (no open redirect to //evil.example). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/map';
}
