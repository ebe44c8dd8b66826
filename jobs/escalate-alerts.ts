/** Every minute: unacknowledged CRITICAL alerts go one step further up their fleet's escalation list (edge/domain/notifications/escalate.ts). */
import { escalateDueAlerts } from '../edge/domain/notifications/escalate.ts';
import type { Job } from './job.ts';

export const escalateAlerts: Job = async (platform) => {
  const escalated = await escalateDueAlerts(platform);
  if (escalated > 0) platform.log.info('alerts escalated', { escalated });
};
