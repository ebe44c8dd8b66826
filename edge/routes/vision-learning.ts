/**
 * What the fleet's vision model learns from: POST /api/v1/frames/{id}/label (an owner says what a frame shows) and
 * GET /api/v1/vision/model (how many examples the fleet's model has and how accurate it is on held-out ones).
 * Reviews of vision incidents teach it too (routes/incidents.ts).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { fleetModelSummary } from '../domain/vision/fleet-model-store.ts';
import { FRAME_LABELS, learnFromFrame } from '../domain/vision/learn-from-review.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readJson, readQuery } from './route-helpers.ts';

const labelBody = z.object({ label: z.enum(FRAME_LABELS) });
const modelQuery = z.object({ fleet_id: z.string().min(1).optional() });

export function registerVisionLearning(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/vision');

  // Under /api/v1/frames, which registerFrames protects.
  app.post('/api/v1/frames/:id/label', async (c) => {
    const frame = await scopedTo(db, c.var.principal, 'frames').select(['id', 'fleet_id', 'device_id', 'analysis']).where('id', '=', c.req.param('id')).executeTakeFirst();
    if (!frame) throw notFound('frame', c.req.param('id'));
    authorize(c.var.principal, 'write', 'incidents');
    const { label } = await readJson(c, labelBody);
    const model = await learnFromFrame(deps, { frame, label, source: 'label', incidentId: null, userId: c.var.principal.userId });
    return c.json({ frame_id: frame.id, label, model });
  });

  app.get('/api/v1/vision/model', async (c) => {
    authorize(c.var.principal, 'read', 'incidents');
    const q = readQuery(c, modelQuery);
    const fleetId = c.var.principal.fleetId ?? q.fleet_id;
    if (!fleetId) throw new AppError('validation_failed', 'platform admins name the fleet: ?fleet_id=', { details: [{ path: 'fleet_id', message: 'required for platform admins' }] });
    if (c.var.principal.fleetId && q.fleet_id && q.fleet_id !== c.var.principal.fleetId) throw notFound('fleet', q.fleet_id);
    return c.json({ fleet_id: fleetId, ...(await fleetModelSummary(db, fleetId)) });
  });
}

export const visionLearningDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/frames/:id/label',
    summary: 'Label what a frame shows (NONE = fine, or an incident type such as PHONE_USAGE); the fleet model learns from it',
    tag: 'Frames',
    auth: 'bearer',
    body: labelBody,
    responses: { 200: '{ frame_id, label, model: { examples, by_label, accuracy, active, min_examples, trained_at } }', 400: 'Unknown label', 404: 'Frame not found in your fleet', 409: 'The frame has no measurements to learn from' },
  },
  {
    method: 'get',
    path: '/api/v1/vision/model',
    summary: 'The fleet vision model: examples per label and accuracy on held-out examples (5-fold cross-validation)',
    tag: 'Frames',
    auth: 'bearer',
    query: modelQuery,
    responses: { 200: '{ fleet_id, examples, by_label, accuracy, active, min_examples, trained_at }', 400: 'Platform admins must name fleet_id' },
  },
];
