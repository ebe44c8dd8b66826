/**
 * /api/v1/incidents: what the vision job and telemetry rules found, filterable, and reviewed by people:
 * acknowledge, resolve or mark false positive (with a reason code and/or text), recording who and when. Evidence,
 * share links and false-positive statistics live in their own files and are registered from here.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { learnFromReview } from '../domain/vision/learn-from-review.ts';
import { driverInForce, withDriverNames } from '../domain/driver-assignments.ts';
import { INCIDENT_COLUMNS, incidentDriver, incidentsWhere } from '../domain/queries/incidents-query.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { dispatchWebhookEvent } from '../domain/webhooks/dispatch.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { CAMERA_COLUMNS, cameraState, setCameraAlignment, type CameraState } from '../domain/review/camera-alignment.ts';
import { FALSE_POSITIVE_REASON_CODES } from '../domain/review/false-positive-reasons.ts';
import { incidentEvidenceDocs, registerIncidentEvidence } from './incident-evidence.ts';
import { incidentStatsDocs, registerIncidentStats } from './incident-stats.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';
import { registerSharedIncidents, sharedIncidentDocs } from './shared-incidents.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const SEVERITY = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const STATUS = z.enum(['open', 'acknowledged', 'resolved', 'false_positive']);
const listQuery = pageQuery
  .extend({ ...timeRangeFields, status: STATUS.optional(), type: z.string().max(40).optional(), severity: SEVERITY.optional(), vehicle_id: z.string().optional(), driver_id: z.string().max(100).optional().describe('the driver assigned to the taxi when the incident occurred'), source: z.enum(['vision', 'telemetry']).optional(), reason_code: z.enum(FALSE_POSITIVE_REASON_CODES).optional() })
  .refine(rangeIsOrdered, RANGE_ERROR);
const reviewBody = z
  .object({
    status: z.enum(['acknowledged', 'resolved', 'false_positive']),
    reason: z.string().trim().max(500).optional(),
    reason_code: z.enum(FALSE_POSITIVE_REASON_CODES).optional(),
    /** With reason_code camera_misaligned: flag the vehicle's camera in the same step. */
    flag_camera: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.status !== 'false_positive' || b.reason_code || (b.reason && b.reason.length > 0), { message: 'say why it is a false positive: reason_code and/or reason', path: ['reason'] })
  .refine((b) => !b.reason_code || b.status === 'false_positive', { message: 'reason_code applies to false_positive only', path: ['reason_code'] })
  .refine((b) => b.reason_code !== 'other' || (b.reason && b.reason.length > 0), { message: 'reason_code other needs a reason', path: ['reason'] })
  .refine((b) => !b.flag_camera || b.reason_code === 'camera_misaligned', { message: 'flag_camera goes with reason_code camera_misaligned', path: ['flag_camera'] });
const COLUMNS = INCIDENT_COLUMNS;

export function registerIncidents(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/incidents');
  registerIncidentStats(app, platform);
  registerIncidentEvidence(app, platform);
  registerSharedIncidents(app, platform);

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'incidents').select(COLUMNS).select(incidentDriver.as('driver_id')).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('incident', id);
    return (await withDriverNames(db, [row]))[0];
  };

  app.get('/api/v1/incidents', async (c) => {
    authorize(c.var.principal, 'read', 'incidents');
    const q = readQuery(c, listQuery);
    const filter = { status: q.status, type: q.type, severity: q.severity, source: q.source, reasonCode: q.reason_code, vehicleId: q.vehicle_id, driverId: q.driver_id, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    let query = incidentsWhere(db, c.var.principal, filter).select(COLUMNS).select(incidentDriver.as('driver_id')).orderBy('id', 'desc').limit(q.limit + 1);
    const before = decodeCursor(q.cursor);
    if (before) query = query.where('id', '<', before);
    const result = page((await query.execute()).map(jsonRow), q.limit);
    return c.json({ ...result, data: await withDriverNames(db, result.data) });
  });

  app.get('/api/v1/incidents/:id', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'incidents');
    return c.json(jsonRow(incident));
  });

  app.patch('/api/v1/incidents/:id', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'incidents');
    const review = await readJson(c, reviewBody);
    if (review.flag_camera) authorize(c.var.principal, 'write', 'vehicles');
    // A retried request whose first attempt landed (the answer was lost) gets the same answer, not a 409.
    const alreadyDone = (row: { status: string; status_reason: string | null; status_reason_code: string | null }) =>
      row.status === review.status && row.status_reason === (review.reason || null) && row.status_reason_code === (review.reason_code ?? null);
    const closed = (status: string) => new AppError('conflict', `the incident is already ${status}`);
    let camera: CameraState | undefined;
    let changed = false;
    if (!alreadyDone(incident)) {
      if (incident.status === 'resolved' || incident.status === 'false_positive') throw closed(incident.status);
      const now = new Date(platform.clock.now());
      // Review, camera flag and audit entry land together; the status guard makes a concurrent second review a 409.
      changed = await db.transaction().execute(async (trx) => {
        const tx = { ...deps, db: trx };
        const result = await trx
          .updateTable('incidents')
          .set({ status: review.status, status_reason: review.reason || null, status_reason_code: review.reason_code ?? null, status_changed_by: c.var.principal.userId, status_changed_at: now })
          .where('id', '=', incident.id)
          .where('status', 'in', ['open', 'acknowledged'])
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        if (review.flag_camera) camera = await setCameraAlignment(tx, { vehicleId: incident.vehicle_id, misaligned: true, note: review.reason || `incident ${incident.id}`, changedBy: c.var.principal.userId });
        await audit(tx, { event: 'incident_reviewed', userId: c.var.principal.userId, fleetId: incident.fleet_id, ip: clientIp(c), details: { incidentId: incident.id, status: review.status, reasonCode: review.reason_code ?? null, cameraFlagged: Boolean(camera) } });
        return true;
      });
      if (!changed) {
        // Someone closed it in between: the same review racing itself is still a repeat, anything else a conflict.
        const latest = await find(c.var.principal, incident.id);
        if (!alreadyDone(latest)) throw closed(latest.status);
      }
    }
    const updated = jsonRow(await find(c.var.principal, incident.id));
    if (changed) {
      await platform.bus.publish(incident.fleet_id, 'incident_updated', updated);
      await dispatchWebhookEvent(platform, incident.fleet_id, 'incident_updated', updated);
      // The review teaches the fleet's vision model; a failure there must not fail the review itself.
      await learnFromReview(deps, incident, review.status, c.var.principal.userId).catch((error) => platform.log.warn('learning from a review failed', { incidentId: incident.id, error: String(error) }));
    }
    if (review.reason_code !== 'camera_misaligned') return c.json(updated);
    // A misaligned camera explains the false positive and will produce more: show the flag, or offer to set it.
    const current = camera ?? cameraState(await db.selectFrom('vehicles').select(CAMERA_COLUMNS).where('id', '=', incident.vehicle_id).executeTakeFirstOrThrow());
    const offer = current.misaligned ? null : { method: 'POST', path: `/api/v1/vehicles/${incident.vehicle_id}/camera`, body: { misaligned: true, note: review.reason ?? null } };
    return c.json({ ...updated, camera: current, camera_flag_offer: offer });
  });
}

export const incidentDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/incidents', summary: 'List incidents, newest first, with filters', tag: 'Incidents', auth: 'bearer', query: listQuery, responses: { 200: 'A page of incidents' } },
  { method: 'get', path: '/api/v1/incidents/:id', summary: 'Get an incident', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The incident', 404: 'Not found' } },
  { method: 'patch', path: '/api/v1/incidents/:id', summary: 'Acknowledge, resolve or mark false positive (reason_code, reason; flag_camera with camera_misaligned)', tag: 'Incidents', auth: 'bearer', body: reviewBody, responses: { 200: 'Reviewed', 400: 'Invalid review', 403: 'Read-only caller', 409: 'Already closed' } },
  ...incidentStatsDocs,
  ...incidentEvidenceDocs,
  ...sharedIncidentDocs,
];
