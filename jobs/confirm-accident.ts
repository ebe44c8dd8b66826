/** Links an ACCIDENT candidate's frames (±10 s) and asks the cloud model to confirm it (edge/domain/vision/confirm-accident.ts). */
import { z } from 'zod';
import { confirmAccident } from '../edge/domain/vision/confirm-accident.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ incidentId: z.string().min(1) });

export const confirmAccidentJob: Job = async (platform, payload) => {
  await confirmAccident(platform, payloadSchema.parse(payload).incidentId);
};
