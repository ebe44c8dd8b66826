/**
 * Escalation: a CRITICAL alert nobody acknowledged within the fleet's `escalate_after_minutes` goes to the next
 * person on its escalation list, one step per interval, and after the list to the platform admins. Each step is an
 * `escalated` event on the alert's timeline (who it went to) and a push and an email to them with reason
 * `escalation` — regardless of their preferences and quiet hours: being on the list is the fleet's decision to wake
 * them. Acknowledging the alert stops it. Alerts older than a day are left alone.
 */
import type { Platform } from '../../platform.ts';
import { recordAlertEvent } from './alert-events.ts';
import { recordDeliveries, sendAll } from './deliveries.ts';
import { escalationInForce } from './escalation-settings.ts';
import { loadAlert, planFor } from './notify-alert.ts';

const HORIZON_MS = 24 * 60 * 60_000;

export async function escalateDueAlerts(platform: Platform): Promise<number> {
  const db = platform.db.kysely;
  const now = platform.clock.now();
  const candidates = await db
    .selectFrom('alerts')
    .innerJoin('fleets', 'fleets.id', 'alerts.fleet_id')
    .select(['alerts.id', 'alerts.fleet_id', 'alerts.created_at', 'fleets.notifications'])
    .where('alerts.severity', '=', 'CRITICAL')
    .where('alerts.acknowledged_at', 'is', null)
    .where('alerts.created_at', '>=', new Date(now - HORIZON_MS))
    .orderBy('alerts.created_at')
    .execute();
  let escalated = 0;
  for (const candidate of candidates) {
    const settings = escalationInForce(candidate.notifications);
    if (!settings.escalate_after_minutes) continue;
    const done = await db
      .selectFrom('alert_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('alert_id', '=', candidate.id)
      .where('kind', '=', 'escalated')
      .executeTakeFirstOrThrow();
    const steps = Number(done.n);
    if (steps > settings.escalation_list.length) continue;
    if (now < candidate.created_at.getTime() + (steps + 1) * settings.escalate_after_minutes * 60_000) continue;
    if (await escalateStep(platform, candidate.id, steps + 1, settings.escalation_list)) escalated++;
  }
  return escalated;
}

async function escalateStep(platform: Platform, alertId: string, step: number, list: string[]): Promise<boolean> {
  const db = platform.db.kysely;
  const alert = await loadAlert(db, alertId);
  if (!alert || alert.acknowledgedAt) return false;
  const toAdmins = step > list.length;
  // A person removed from the fleet since the list was saved is passed over (the step is still recorded).
  const people = toAdmins
    ? await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('role', '=', 'admin')
        .where('fleet_id', 'is', null)
        .orderBy('id')
        .execute()
    : await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('id', '=', list[step - 1])
        .where('fleet_id', '=', alert.fleetId)
        .execute();
  const planned = await planFor(platform, people, alert, 'escalation', () => ({ status: 'pending' }));
  await recordDeliveries(platform, { fleetId: alert.fleetId, alertId: alert.id, scope: alert.id }, planned);
  const recorded = await recordAlertEvent(platform, alert.id, 'escalated', `escalated:${step}`, {
    step,
    to: toAdmins ? 'platform_admins' : 'person',
    user_ids: people.map((p) => p.id),
    emails: people.map((p) => p.email),
  });
  const untried = await db
    .selectFrom('notification_deliveries')
    .select('id')
    .where('alert_id', '=', alert.id)
    .where('reason', '=', 'escalation')
    .where('status', '=', 'pending')
    .where('attempts', '=', 0)
    .execute();
  await sendAll(
    platform,
    untried.map((r) => r.id),
  );
  return recorded;
}
