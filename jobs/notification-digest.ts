/** A fleet's morning email digest of held alerts (edge/domain/notifications/digest.ts), started by start-fleet-days at 07:00 local. */
import { sendFleetDigests } from '../edge/domain/notifications/digest.ts';
import type { Job } from './job.ts';
import { finishRun, runPayload } from './fleet-day-runs.ts';

export const notificationDigest: Job = async (platform, payload) => {
  const { fleetId, day } = runPayload(payload);
  await sendFleetDigests(platform, fleetId, day);
  await finishRun(platform.db.kysely, { task: 'notification-digest', fleetId, day }, new Date(platform.clock.now()));
};
