/**
 * An alert's timeline (alert_events): notified, escalated (to whom), acknowledged (by whom). Ids are derived from
 * what happened (`<alert>:escalated:<step>`), so a repeated job or a double click records a step once.
 */
import type { Platform } from '../../platform.ts';

export type AlertEventKind = 'notified' | 'escalated' | 'acknowledged';

/** true when this call recorded it; false when it was already there. */
export async function recordAlertEvent(
  platform: Platform,
  alertId: string,
  kind: AlertEventKind,
  key: string,
  detail: Record<string, unknown>,
): Promise<boolean> {
  const row = await platform.db.kysely
    .insertInto('alert_events')
    .values({
      id: `${alertId}:${key}`,
      alert_id: alertId,
      kind,
      detail: JSON.stringify(detail),
      at: new Date(platform.clock.now()),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
