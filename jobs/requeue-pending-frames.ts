/**
 * Every five minutes: frames stored but still `pending` a while after they arrived get their `analyse-frame` job
 * again. The upload answers before queueing the job (edge/domain/frames/store-frame.ts), so a crash in between
 * would otherwise leave a frame never analysed. The job's dedupe id makes this a no-op for every frame whose job
 * exists (queued, running, done or dead), so only truly lost ones are queued.
 */
import { z } from 'zod';
import { enqueueAnalysis } from '../edge/domain/frames/store-frame.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ olderThanSeconds: z.number().int().min(0).default(120), limit: z.number().int().min(1).max(10_000).default(1000) }).default({ olderThanSeconds: 120, limit: 1000 });

export const requeuePendingFrames: Job = async (platform, payload) => {
  const { olderThanSeconds, limit } = payloadSchema.parse(payload ?? undefined);
  const frames = await platform.db.kysely
    .selectFrom('frames')
    .select(['id', 'priority', 'analysis_round'])
    .where('analysis_status', '=', 'pending')
    .where('received_at', '<', new Date(platform.clock.now() - olderThanSeconds * 1000))
    .orderBy('received_at')
    .limit(limit)
    .execute();
  let queued = 0;
  for (const { id, priority, analysis_round } of frames) {
    // The frame's current round: a reopened frame (a reviewer's request, a late event) is owed that round's job.
    const result = await enqueueAnalysis(platform, id, priority, analysis_round);
    if (!result.duplicate) queued++;
  }
  if (queued > 0) platform.log.warn('queued analysis again for frames whose job was lost', { queued });
};
