/**
 * A fleet's escalation settings (fleets.notifications): after how many minutes an unacknowledged CRITICAL alert
 * goes to the next person on the list, and the list (users of the fleet, in order). After the list, platform
 * admins; null minutes = no escalation.
 */
import { z } from 'zod';

export const escalationSettingsSchema = z
  .object({
    escalate_after_minutes: z.number().int().min(1).max(1440).nullable(),
    escalation_list: z
      .array(z.string().min(1).max(64))
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'a person may appear once' }),
  })
  .strict();

export type EscalationSettings = z.output<typeof escalationSettingsSchema>;

export const NO_ESCALATION: EscalationSettings = { escalate_after_minutes: null, escalation_list: [] };

export function escalationInForce(stored: unknown): EscalationSettings {
  const parsed = escalationSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : { ...NO_ESCALATION, escalation_list: [] };
}
