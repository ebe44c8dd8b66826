/** /api/v1/frames: camera frames' metadata and analysis, each with a short-lived download URL. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';
import { frameReanalysisDocs, registerFrameReanalysis } from './frame-reanalysis.ts';
import { registerVisionUsage, visionUsageDocs } from './vision-usage.ts';

export const FRAME_URL_TTL_SECONDS = 300;
const listQuery = pageQuery.extend({ ...timeRangeFields, vehicle_id: z.string().optional(), analysis_status: z.enum(['pending', 'done', 'failed', 'not_configured', 'skipped']).optional() }).refine(rangeIsOrdered, RANGE_ERROR);
const COLUMNS = ['id', 'fleet_id', 'vehicle_id', 'device_id', 'blob_key', 'captured_at', 'received_at', 'size_bytes', 'width', 'height', 'analysis_status', 'analysis', 'priority', 'priority_reason', 'analysis_round'] as const;

export function registerFrames(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/frames');
  registerVisionUsage(app, platform);
  registerFrameReanalysis(app, platform);

  const present = async (row: Record<string, unknown> & { blob_key: string }) => {
    const { blob_key, ...rest } = jsonRow(row);
    return { ...rest, download_url: await platform.blobs.signedUrl(blob_key, { expiresInSeconds: FRAME_URL_TTL_SECONDS }), download_url_expires_in: FRAME_URL_TTL_SECONDS };
  };

  app.get('/api/v1/frames', async (c) => {
    authorize(c.var.principal, 'read', 'frames');
    const q = readQuery(c, listQuery);
    let query = scopedTo(db, c.var.principal, 'frames').select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    if (q.vehicle_id) query = query.where('vehicle_id', '=', q.vehicle_id);
    if (q.analysis_status) query = query.where('analysis_status', '=', q.analysis_status);
    if (q.from) query = query.where('captured_at', '>=', new Date(q.from));
    if (q.to) query = query.where('captured_at', '<=', new Date(q.to));
    const result = page(await query.execute(), q.limit);
    return c.json({ ...result, data: await Promise.all(result.data.map(present)) });
  });

  app.get('/api/v1/frames/:id', async (c) => {
    const id = c.req.param('id');
    // One frame also shows the results re-analyses replaced (oldest first; null when never reopened).
    const frame = await scopedTo(db, c.var.principal, 'frames').select([...COLUMNS, 'analysis_history']).where('id', '=', id).executeTakeFirst();
    if (!frame) throw notFound('frame', id);
    authorize(c.var.principal, 'read', 'frames');
    return c.json(await present(frame));
  });
}

export const frameDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/frames', summary: 'List frames with analysis and download URLs', tag: 'Evidence', auth: 'bearer', query: listQuery, responses: { 200: 'A page of frames' } },
  ...visionUsageDocs,
  ...frameReanalysisDocs,
  { method: 'get', path: '/api/v1/frames/:id', summary: 'Get a frame (download URL valid 5 minutes), with its priority, analysis round and the results re-analyses replaced', tag: 'Evidence', auth: 'bearer', responses: { 200: 'The frame', 404: 'Not found' } },
];
