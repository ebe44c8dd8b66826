/** Sends a new alert's push notifications and emails to the people who want them (edge/domain/notifications/notify-alert.ts). */
import { z } from 'zod';
import { notifyAlert } from '../edge/domain/notifications/notify-alert.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ alertId: z.string().min(1) });

export const notifyAlertJob: Job = async (platform, payload) => {
  const { alertId } = payloadSchema.parse(payload);
  const outcome = await notifyAlert(platform, alertId);
  if (outcome) platform.log.debug('alert notified', { alertId, ...outcome });
};
