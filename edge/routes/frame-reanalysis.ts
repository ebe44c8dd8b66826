/**
 * POST /api/v1/frames/{id}/analyse: a reviewer asks for a frame to be analysed (again) — one that was skipped
 * (`stale`, `backlog`), failed, or already analysed. The frame is queued at high priority (reason `reviewer`); the
 * new result replaces the old one, which is kept in `analysis_history` (edge/domain/frames/frame-reopening.ts).
 * Idempotent: while the request's round is pending, or for a repeated Idempotency-Key, nothing more is queued.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { requestReanalysis } from '../domain/frames/frame-reopening.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { parseInput } from '../domain/validation.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';

// Ids are opaque text (UUIDs when this server made them); what cannot be one is refused before any look-up.
const frameIdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a frame id: 1–64 letters, digits, - or _') });
const requestKeyHeader = z.object({ 'idempotency-key': z.string().trim().min(1).max(200, 'at most 200 characters').optional() });

/** Registered by registerFrames, inside its authentication guard. */
export function registerFrameReanalysis(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };

  app.post('/api/v1/frames/:id/analyse', async (c) => {
    const { id } = parseInput(frameIdParam, { id: c.req.param('id') });
    const headers = parseInput(requestKeyHeader, { 'idempotency-key': c.req.header('idempotency-key') });
    const frame = await scopedTo(db, c.var.principal, 'frames').select(['id', 'fleet_id']).where('id', '=', id).executeTakeFirst();
    if (!frame) throw notFound('frame', id);
    // Whoever reviews incidents (owners, admins, keys with write:incidents) may ask; a viewer may not.
    authorize(c.var.principal, 'write', 'incidents');
    const outcome = await requestReanalysis(platform, { frameId: frame.id, requestKey: headers['idempotency-key'] ?? null });
    if (outcome.reopened) {
      await audit(deps, { event: 'frame_analysis_requested', userId: c.var.principal.userId, fleetId: frame.fleet_id, ip: clientIp(c), details: { frameId: frame.id, round: outcome.round } });
    }
    const body = {
      frame_id: frame.id,
      analysis_status: outcome.analysisStatus,
      priority: outcome.priority,
      priority_reason: outcome.priorityReason,
      analysis_round: outcome.round,
      job_id: outcome.jobId,
      queued: outcome.reopened,
    };
    return c.json(body, outcome.reopened ? 202 : 200);
  });
}

export const frameReanalysisDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/frames/:id/analyse',
    summary:
      'Analyse a frame (again) at high priority (reason reviewer): skipped, failed or analysed frames alike; the new result replaces the old one, which is kept in analysis_history. Idempotency-Key makes a retry safe; a second request while the first is pending queues nothing',
    tag: 'Frames',
    auth: 'bearer',
    responses: {
      202: '{ frame_id, analysis_status: "pending", priority, priority_reason, analysis_round, job_id, queued: true }',
      200: 'Already queued (the request is pending, or its Idempotency-Key was seen): the same fields, queued: false',
      400: 'Not a frame id (1–64 letters, digits, - or _), or an Idempotency-Key over 200 characters',
      403: 'Read-only caller',
      404: 'Frame not found in your fleet',
    },
  },
];
