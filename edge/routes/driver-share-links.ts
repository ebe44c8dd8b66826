/**
 * Driver view (issue 21, opt-in per fleet): owners create or revoke a read-only link to one driver's own score
 * (POST/DELETE /api/v1/drivers/{id}/share-link), and GET /share/drivers/{token} shows that driver — and only that
 * driver — their weekly score, its "why" and this week's incidents on a phone. No session; the token is the key.
 */
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { publicUrl } from '../config.ts';
import { localDayAndMinute, localDaysRange } from '../domain/fleet-time.ts';
import { incidentDriver } from '../domain/queries/incidents-query.ts';
import { driverScores } from '../domain/scores/driver-scores.ts';
import {
  createDriverShareLink,
  DRIVER_SHARE_DAYS,
  DRIVER_SHARE_PATH,
  resolveDriverShareLink,
  revokeDriverShareLinks,
} from '../domain/scores/driver-share-links.ts';
import { defaultFrom } from '../domain/scores/score-periods.ts';
import { authorize, notFound, requireManager, scopedTo } from '../domain/tenancy.ts';
import { parseInput } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { renderDriverShareGonePage, renderDriverSharePage, type GonePageReason } from './driver-share-page.ts';
import { SHARE_PAGE_CSP } from './shared-incident-page.ts';

// An empty body means the default expiry; anything else must be the JSON described.
function readOptionalJson(text: string): z.output<typeof shareBody> {
  if (text.trim() === '') return parseInput(shareBody, {});
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError('bad_request', 'request body must be JSON', { cause: error });
  }
  return parseInput(shareBody, body);
}

const wantsHtml = (accept: string | undefined) => /\btext\/html\b/.test(accept ?? '');
/** Whether Spanish comes before English in an Accept-Language header (in the order listed; q-values ignored). */
const prefersSpanish = (header: string | undefined) =>
  (header ?? '')
    .split(',')
    .map((part) => part.trim().split(/[;-]/)[0]!.toLowerCase())
    .find((lang) => lang === 'es' || lang === 'en') === 'es';

const shareBody = z
  .object({
    expires_in_days: z
      .number()
      .int()
      .min(DRIVER_SHARE_DAYS.min)
      .max(DRIVER_SHARE_DAYS.max)
      .default(DRIVER_SHARE_DAYS.default),
  })
  .strict();

export function registerDriverShareLinks(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  app.use(
    `${DRIVER_SHARE_PATH}*`,
    rateLimit(platform, {
      perKey: platform.config.RATE_LIMIT_PER_MINUTE,
      perIp: platform.config.RATE_LIMIT_PER_IP_PER_MINUTE,
    }),
  );

  /** The driver (404 when another fleet's) — only owners hand out links, and only when the fleet opted in. */
  const ownDriver = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const driver = await scopedTo(db, principal, 'drivers')
      .select(['id', 'fleet_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!driver) throw notFound('driver', id);
    authorize(principal, 'write', 'drivers');
    requireManager(principal);
    return driver;
  };

  app.post('/api/v1/drivers/:id/share-link', async (c) => {
    const driver = await ownDriver(c.var.principal, c.req.param('id'));
    const fleet = await db
      .selectFrom('fleets')
      .select('drivers_see_own_score')
      .where('id', '=', driver.fleet_id)
      .executeTakeFirstOrThrow();
    if (!fleet.drivers_see_own_score)
      throw new AppError(
        'conflict',
        'drivers_see_own_score is off for this fleet; turn it on in the fleet settings first',
        { details: [{ path: 'drivers_see_own_score', message: 'must be on' }] },
      );
    const body = await readOptionalJson(await c.req.text());
    const link = await createDriverShareLink(deps, {
      fleetId: driver.fleet_id,
      driverId: driver.id,
      createdBy: c.var.principal.userId,
      expiresInDays: body.expires_in_days,
      baseUrl: publicUrl(platform.config),
    });
    return c.json({ url: link.url, expires_at: link.expires_at }, 201);
  });

  app.delete('/api/v1/drivers/:id/share-link', async (c) => {
    const driver = await ownDriver(c.var.principal, c.req.param('id'));
    return c.json({ revoked: await revokeDriverShareLinks(deps, driver.id) });
  });

  app.get(`${DRIVER_SHARE_PATH}:token`, async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex');
    let link: Awaited<ReturnType<typeof resolveDriverShareLink>>;
    try {
      link = await resolveDriverShareLink(deps, c.req.param('token'));
    } catch (error) {
      // A driver's phone gets a page saying why (in the language it asks for: the fleet of a dead token is not
      // looked up); programs keep the JSON error with details.reason.
      if (!(error instanceof AppError) || error.code !== 'not_found' || !wantsHtml(c.req.header('accept'))) throw error;
      const reason = (error.details as { reason?: GonePageReason } | null)?.reason ?? 'unknown';
      c.header('Content-Security-Policy', SHARE_PAGE_CSP);
      return c.html(renderDriverShareGonePage(reason, prefersSpanish(c.req.header('accept-language')) ? 'es' : 'en'), 404);
    }
    const driver = await db
      .selectFrom('drivers')
      .select(['id', 'name'])
      .where('id', '=', link.driverId)
      .where('fleet_id', '=', link.fleetId)
      .executeTakeFirst();
    if (!driver) throw notFound('driver', link.driverId);
    const fleet = await db
      .selectFrom('fleets')
      .select(['id', 'timezone', 'locale'])
      .where('id', '=', link.fleetId)
      .executeTakeFirstOrThrow();
    const today = localDayAndMinute(fleet.timezone, platform.clock.now()).day;
    const { latest } = await driverScores(db, fleet, driver.id, 'week', defaultFrom('week', today), today, today);
    const weekStart = localDaysRange(latest?.first_day ?? today, today, fleet.timezone).start;
    // Only this driver's incidents that count (false positives never do), this week, newest first.
    const incidents = await db
      .selectFrom('incidents')
      .select(['type', 'severity', 'occurred_at'])
      .where('fleet_id', '=', fleet.id)
      .where('occurred_at', '>=', weekStart)
      .where('status', '!=', 'false_positive')
      .where(sql<boolean>`${incidentDriver} = ${driver.id}`)
      .orderBy('occurred_at', 'desc')
      .limit(50)
      .execute();
    c.header('Content-Security-Policy', SHARE_PAGE_CSP);
    return c.html(
      renderDriverSharePage({
        name: driver.name,
        latest,
        incidents: incidents.map((i) => ({
          type: i.type,
          severity: i.severity,
          occurred_at: i.occurred_at.toISOString(),
        })),
        expiresAt: link.expiresAt,
        locale: fleet.locale === 'es' ? 'es' : 'en',
      }),
    );
  });
}

export const driverShareDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/drivers/:id/share-link',
    summary: "Create a read-only link to the driver's own score (owners; the fleet must have drivers_see_own_score on)",
    tag: 'Drivers',
    auth: 'bearer',
    body: shareBody,
    responses: {
      201: '{url, expires_at}',
      403: 'Not an owner',
      404: 'Driver not found in your fleet',
      409: 'drivers_see_own_score is off',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/drivers/:id/share-link',
    summary: "Revoke every live link to the driver's score",
    tag: 'Drivers',
    auth: 'bearer',
    responses: { 200: '{revoked: count}', 403: 'Not an owner', 404: 'Driver not found in your fleet' },
  },
  {
    method: 'get',
    path: `${DRIVER_SHARE_PATH}:token`,
    summary: "A driver's own weekly score, its why and incidents (HTML for a phone)",
    tag: 'Drivers',
    auth: 'signed-link',
    responses: {
      200: 'The page',
      404: 'Unknown, expired or revoked link, or the fleet turned the driver view off (details.reason says which; a browser asking for text/html gets a page saying it)',
      429: 'Too many requests',
    },
  },
];
