/**
 * POST /api/v1/video/frames/upload: a camera frame from a device (device protocol v1). The JPEG comes as the raw
 * body (`image/jpeg`, `application/octet-stream`) or as the first file part of `multipart/form-data`, with
 * Content-Length or chunked; `captured_at` as a form field, `?captured_at=` or `X-Captured-At` (default: arrival).
 * `trigger=1` (form field, `?trigger=`, `X-Frame-Trigger`) marks a frame the device's own trigger took (high priority).
 * 202 `{frame_id, …}` when stored (with `routine_frame_interval_s` when the fleet's vision is over budget); 200 with the first frame's id and `duplicate: true` when this device already
 * sent a frame taken at that instant. The steps are the frame pipeline's (domain/frames/frame-pipeline.ts).
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { receiveFrame } from '../domain/frames/frame-pipeline.ts';
import { ACCEPTED_TYPES } from '../domain/frames/read-upload.ts';
import { recordFrame } from '../observability/app-metrics.ts';
import { requireDevice } from '../middleware/device-auth.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { backgroundWork, withRoutineInterval } from './route-helpers.ts';

export const FRAME_UPLOAD_PATH = '/api/v1/video/frames/upload';

export function registerFrameUpload(app: Hono<AppEnv>, platform: Platform) {
  // Outcomes by status: 202 stored, 200 duplicate, any 4xx (a refused key, a bad or cut-off JPEG) rejected.
  app.use(FRAME_UPLOAD_PATH, async (c, next) => {
    if (c.req.method !== 'POST') return next();
    await next();
    const status = c.res.status;
    if (status === 202 || status === 200) recordFrame(platform, status === 202 ? 'stored' : 'duplicate');
    else if (status >= 400 && status < 500) recordFrame(platform, 'rejected');
  });
  app.post(FRAME_UPLOAD_PATH, requireDevice(platform), async (c) => {
    const capturedAt = [c.req.query('captured_at'), c.req.header('x-captured-at')];
    const trigger = [c.req.query('trigger'), c.req.header('x-frame-trigger')];
    const { duplicate, ...frame } = await receiveFrame(platform, c.var.device, c.req.raw, capturedAt, { background: backgroundWork(c, platform), trigger });
    if (duplicate) return c.json({ ...frame, duplicate: true }, 200);
    return c.json(await withRoutineInterval(platform, c.var.device.fleetId, frame), 202);
  });
}

export const frameUploadDocs: RouteDoc[] = [
  {
    method: 'post',
    path: FRAME_UPLOAD_PATH,
    summary: `Upload a camera frame (device key): a JPEG as ${ACCEPTED_TYPES.join(', ')}; captured_at as form field, query or X-Captured-At; trigger=1 (form field, query or X-Frame-Trigger) for a frame the device's own trigger took`,
    tag: 'Devices',
    auth: 'bearer',
    responses: {
      202: '{ frame_id, captured_at, width, height, size_bytes } and routine_frame_interval_s when the fleet is over its vision budget (send routine frames at most that often)',
      200: 'Duplicate (same device and captured_at): the first frame, with duplicate: true',
      400: 'Bad captured_at, or a multipart body without boundary or file part',
      401: 'Device key refused',
      408: 'The body stopped arriving (e.g. shorter than its Content-Length); nothing stored',
      413: 'Larger than FRAME_MAX_BYTES',
      415: 'Content-Type is not multipart/form-data, image/jpeg or application/octet-stream',
      422: 'Not a complete JPEG (details.reason: jpeg_not_jpeg, jpeg_truncated, …)',
    },
  },
];
