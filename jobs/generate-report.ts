/** An on-demand report, or a regenerated one: `{ reportId, generation }` (edge/domain/reports/produce-report.ts). */
import { z } from 'zod';
import { produceReport } from '../edge/domain/reports/produce-report.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ reportId: z.string().min(1), generation: z.number().int().min(1) });

export const generateReport: Job = async (platform, payload, context) => {
  const { reportId, generation } = payloadSchema.parse(payload);
  await produceReport(platform, reportId, generation, context.attempt);
};
