/**
 * /api/v1/incidents/{id}/evidence and /share: what happened around an incident (frames, track) for the fleet, and
 * expiring links that show the same evidence to someone without an account (an insurer, a driver, the police).
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { publicUrl } from '../config.ts';
import { audit } from '../domain/auth/audit.ts';
import { loadIncidentEvidence } from '../domain/evidence/incident-evidence.ts';
import { DEFAULT_EVIDENCE_WINDOW } from '../domain/evidence/evidence-window.ts';
import { createShareLink, listShareLinks, revokeShareLink, revokeShareLinks, SHARE_MINUTES } from '../domain/evidence/share-links.ts';
import { parseInput } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import { authorize, authorizeEvidence, notFound, scopedTo } from '../domain/tenancy.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readQuery } from './route-helpers.ts';

const seconds = (max: number, fallback: number) => z.coerce.number().int().min(0).max(max).default(fallback);
const evidenceQuery = z.object({
  before_seconds: seconds(300, DEFAULT_EVIDENCE_WINDOW.frameSecondsBefore),
  after_seconds: seconds(300, DEFAULT_EVIDENCE_WINDOW.frameSecondsAfter),
  track_seconds: seconds(1800, DEFAULT_EVIDENCE_WINDOW.trackSecondsBefore),
});
const shareBody = z.object({ expires_in_minutes: z.number().int().min(SHARE_MINUTES.min).max(SHARE_MINUTES.max).default(SHARE_MINUTES.default) }).strict();

/** An empty body means every default (a bare POST shares for a day); anything else must be the JSON described. */
async function readOptionalJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  if (text.trim() === '') return parseInput(schema, {});
  try {
    return parseInput(schema, JSON.parse(text));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', 'request body must be JSON', { cause: error });
  }
}

/** Registered by registerIncidents, inside its authentication guard. */
export function registerIncidentEvidence(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('incident', id);
    return row;
  };

  app.get('/api/v1/incidents/:id/evidence', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorizeEvidence(c.var.principal, 'read');
    const q = readQuery(c, evidenceQuery);
    const window = { frameSecondsBefore: q.before_seconds, frameSecondsAfter: q.after_seconds, trackSecondsBefore: q.track_seconds, trackSecondsAfter: q.track_seconds };
    return c.json(await loadIncidentEvidence({ db, blobs: platform.blobs }, incident, window));
  });

  app.post('/api/v1/incidents/:id/share', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    // A share link hands the evidence to anyone holding it: the key must be allowed to see that evidence itself.
    authorizeEvidence(c.var.principal, 'write');
    const body = await readOptionalJson(c, shareBody);
    // A link nobody can trace in the audit log must not exist: both land or neither does.
    const link = await db.transaction().execute(async (trx) => {
      const tx = { ...deps, db: trx };
      const created = await createShareLink(tx, { incidentId: incident.id, fleetId: incident.fleet_id, createdBy: c.var.principal.userId, expiresInMinutes: body.expires_in_minutes, baseUrl: publicUrl(platform.config) });
      await audit(tx, { event: 'incident_shared', userId: c.var.principal.userId, fleetId: incident.fleet_id, ip: clientIp(c), details: { incidentId: incident.id, linkId: created.id, expiresAt: created.expires_at } });
      return created;
    });
    return c.json({ id: link.id, url: link.url, expires_at: link.expires_at }, 201);
  });

  app.get('/api/v1/incidents/:id/share', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'incidents');
    return c.json({ data: await listShareLinks(deps, incident.id) });
  });

  app.delete('/api/v1/incidents/:id/share/:linkId', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'incidents');
    const linkId = c.req.param('linkId');
    const link = await db.transaction().execute(async (trx) => {
      const tx = { ...deps, db: trx };
      const revoked = await revokeShareLink(tx, incident.id, linkId);
      if (!revoked) throw notFound('share link', linkId);
      await audit(tx, { event: 'incident_share_revoked', userId: c.var.principal.userId, fleetId: incident.fleet_id, ip: clientIp(c), details: { incidentId: incident.id, linkId } });
      return revoked;
    });
    return c.json(link);
  });

  app.delete('/api/v1/incidents/:id/share', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'incidents');
    const revoked = await db.transaction().execute(async (trx) => {
      const count = await revokeShareLinks({ ...deps, db: trx }, incident.id);
      await audit({ ...deps, db: trx }, { event: 'incident_share_revoked', userId: c.var.principal.userId, fleetId: incident.fleet_id, ip: clientIp(c), details: { incidentId: incident.id, revoked: count } });
      return count;
    });
    return c.json({ revoked });
  });
}

export const incidentEvidenceDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/incidents/:id/evidence', summary: "An incident's frames (with 5-minute download URLs and analysis) and GPS track (points and GeoJSON)", tag: 'Incidents', auth: 'bearer', query: evidenceQuery, responses: { 200: 'The evidence', 400: 'Invalid window', 404: 'Not found' } },
  { method: 'post', path: '/api/v1/incidents/:id/share', summary: 'Create a link that shows the evidence without logging in, until it expires', tag: 'Incidents', auth: 'bearer', body: shareBody, responses: { 201: 'The link (shown once)', 400: 'Invalid lifetime', 403: 'Read-only caller', 404: 'Not found' } },
  { method: 'get', path: '/api/v1/incidents/:id/share', summary: "An incident's share links (live, expired, revoked), without their tokens", tag: 'Incidents', auth: 'bearer', responses: { 200: 'The links', 404: 'Not found' } },
  { method: 'delete', path: '/api/v1/incidents/:id/share/:linkId', summary: 'Withdraw one share link', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The withdrawn link', 403: 'Read-only caller', 404: 'No such incident or link' } },
  { method: 'delete', path: '/api/v1/incidents/:id/share', summary: "Withdraw every live share link of an incident", tag: 'Incidents', auth: 'bearer', responses: { 200: 'How many links were withdrawn', 403: 'Read-only caller', 404: 'Not found' } },
];
