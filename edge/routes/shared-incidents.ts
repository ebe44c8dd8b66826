/**
 * GET /share/incidents/{token}: an incident's evidence for whoever holds an unexpired, unrevoked share link — JSON
 * for programs, a plain page for browsers (Accept: text/html or ?format=html). No session; the token is the key.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { loadIncidentEvidence } from '../domain/evidence/incident-evidence.ts';
import { resolveShareLink, SHARE_PATH } from '../domain/evidence/share-links.ts';
import { notFound } from '../domain/tenancy.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { renderSharedIncidentPage, SHARE_PAGE_CSP } from './shared-incident-page.ts';

// Who reviewed the incident is the fleet's business, not the recipient's.
const PRIVATE_INCIDENT_FIELDS = ['status_changed_by'];

function wantsHtml(format: string | undefined, accept: string | undefined): boolean {
  if (format === 'html') return true;
  if (format === 'json') return false;
  return /\btext\/html\b/.test(accept ?? '');
}

export function registerSharedIncidents(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  // Outside /api/v1, so the API's limiter does not cover it; tokens are unguessable, this only bounds the cost.
  app.use(`${SHARE_PATH}*`, rateLimit(platform, { perKey: platform.config.RATE_LIMIT_PER_MINUTE, perIp: platform.config.RATE_LIMIT_PER_IP_PER_MINUTE }));

  app.get(`${SHARE_PATH}:token`, async (c) => {
    const link = await resolveShareLink({ db, clock: platform.clock }, c.req.param('token'));
    const incident = await db.selectFrom('incidents').selectAll().where('id', '=', link.incidentId).where('fleet_id', '=', link.fleetId).executeTakeFirst();
    if (!incident) throw notFound('incident', link.incidentId);
    const evidence = await loadIncidentEvidence({ db, blobs: platform.blobs }, incident);
    for (const field of PRIVATE_INCIDENT_FIELDS) delete evidence.incident[field];
    // The token is in the URL: keep it out of caches, search engines and the Referer sent with frame downloads.
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex');
    if (wantsHtml(c.req.query('format'), c.req.header('accept'))) {
      c.header('Content-Security-Policy', SHARE_PAGE_CSP);
      const fleet = await db.selectFrom('fleets').select('locale').where('id', '=', link.fleetId).executeTakeFirst();
      return c.html(renderSharedIncidentPage(evidence, link.expiresAt, fleet?.locale ?? 'en'));
    }
    return c.json({ ...evidence, link_expires_at: link.expiresAt.toISOString() });
  });
}

export const sharedIncidentDocs: RouteDoc[] = [
  { method: 'get', path: `${SHARE_PATH}:token`, summary: "An incident's evidence through a share link (JSON; HTML for browsers or ?format=html)", tag: 'Incidents', auth: 'signed-link', responses: { 200: 'The evidence', 404: 'Unknown, expired or withdrawn link (details.reason says which)', 429: 'Too many requests' } },
];
