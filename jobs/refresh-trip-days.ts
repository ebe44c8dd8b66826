/**
 * Every minute: recounts the score rollup's stale taxi-days of every fleet (edge/domain/scores/refresh-trip-days.ts),
 * so that a read of the scores finds at most a minute of trip writes to recount. Idempotent: a second run finds
 * nothing stale.
 */
import { refreshTripDays } from '../edge/domain/scores/refresh-trip-days.ts';
import type { Job } from './job.ts';

export const refreshTripDaysJob: Job = async (platform) => {
  const recounted = await refreshTripDays(platform.db.kysely);
  if (recounted > 0) platform.log.debug('recounted stale taxi-days', { recounted });
};
