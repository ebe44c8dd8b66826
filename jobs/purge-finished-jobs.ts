/**
 * Deletes finished queue rows older than the retention window so the jobs table stays small.
 * Dead letters are kept: admins look at and replay those. Idempotent: a second run finds nothing to delete.
 */
import { z } from 'zod';
import type { Job } from './job.ts';

const payloadSchema = z.object({ olderThanDays: z.number().int().min(1).max(365).default(7) }).nullable();

export const purgeFinishedJobs: Job = async (platform, payload) => {
  const { olderThanDays } = payloadSchema.parse(payload) ?? { olderThanDays: 7 };
  const cutoff = new Date(platform.clock.now() - olderThanDays * 86_400_000);
  const result = await platform.db.kysely
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('updated_at', '<', cutoff)
    .executeTakeFirst();
  platform.log.info('purged finished jobs', { deleted: Number(result.numDeletedRows), olderThanDays });
};
