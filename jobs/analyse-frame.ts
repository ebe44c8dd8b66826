/**
 * Analyses one uploaded camera frame: the analysed → judged → incident → announced half of the frame pipeline
 * (edge/domain/frames/frame-pipeline.ts), for the frame the payload names.
 *
 * Failures: no analyser → `not_configured` (visible, never silently dropped); an undecodable JPEG or a missing
 * blob → `failed` with the reason, no retry; anything else is thrown so the queue retries with backoff, and on the
 * last attempt the frame is marked `failed` before the job becomes a dead letter; replaying the dead letter analyses
 * it again.
 */
import { z } from 'zod';
import { processFrame } from '../edge/domain/frames/frame-pipeline.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ frameId: z.string().min(1) });

export const analyseFrame: Job = async (platform, payload, context) => {
  const { frameId } = payloadSchema.parse(payload);
  await processFrame(platform, frameId, context.attempt);
};
