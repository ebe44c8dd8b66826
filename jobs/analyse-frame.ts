/**
 * Analyses one uploaded camera frame. The analyser itself (a vision model reading the JPEG for incidents)
 * arrives with the vision issue; until one is configured, a frame still waiting is marked `not_configured`
 * so the API says why it has no analysis instead of leaving it `pending` forever.
 * Idempotent: a frame deleted since the upload is skipped, and only a `pending` frame is ever changed.
 */
import { z } from 'zod';
import type { Job } from './job.ts';

const payloadSchema = z.object({ frameId: z.string().min(1) });

export const analyseFrame: Job = async (platform, payload) => {
  const { frameId } = payloadSchema.parse(payload);
  const db = platform.db.kysely;
  const frame = await db.selectFrom('frames').select(['id', 'analysis_status']).where('id', '=', frameId).executeTakeFirst();
  if (!frame || frame.analysis_status !== 'pending') return;
  // No analyser exists yet (vision issue): record that, guarded so a concurrent analysis result is never overwritten.
  await db.updateTable('frames').set({ analysis_status: 'not_configured' }).where('id', '=', frameId).where('analysis_status', '=', 'pending').execute();
};
