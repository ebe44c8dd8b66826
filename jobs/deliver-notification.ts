/**
 * Tries one notification again after a failure (edge/domain/notifications/deliveries.ts). The retry schedule is the
 * delivery's own (it enqueues its next try itself), so this job never throws for a failed send.
 */
import { z } from 'zod';
import { sendDelivery } from '../edge/domain/notifications/deliveries.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ deliveryId: z.string().min(1) });

export const deliverNotification: Job = async (platform, payload) => {
  const { deliveryId } = payloadSchema.parse(payload);
  await sendDelivery(platform, deliveryId);
};
