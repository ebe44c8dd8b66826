/**
 * Who hears about a new alert, how, and when: the fleet's owners and viewers, each by their own preferences
 * (preferences.ts) read in the fleet's timezone. Runs in the `notify-alert` job; safe to run twice (deliveries.ts).
 */
import type { Kysely } from 'kysely';
import { publicUrl } from '../../config.ts';
import type { Database, Severity } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import { alertEmail, alertPush, type AlertForPerson, type Lang } from './alert-email.ts';
import { recordDeliveries, sendAll, type PlannedDelivery } from './deliveries.ts';
import { decide, preferencesOrDefault } from './preferences.ts';
import { recordAlertEvent } from './alert-events.ts';

export interface AlertToNotify {
  id: string;
  fleetId: string;
  incidentId: string | null;
  severity: Severity;
  message: string;
  type: string | null;
  plate: string | null;
  createdAt: Date;
  acknowledgedAt: Date | null;
  timeZone: string;
  lang: Lang;
  escalation: unknown;
}

export async function loadAlert(db: Kysely<Database>, alertId: string): Promise<AlertToNotify | null> {
  const row = await db
    .selectFrom('alerts')
    .innerJoin('fleets', 'fleets.id', 'alerts.fleet_id')
    .leftJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .leftJoin('vehicles', 'vehicles.id', 'alerts.vehicle_id')
    .select([
      'alerts.id',
      'alerts.fleet_id',
      'alerts.incident_id',
      'alerts.severity',
      'alerts.message',
      'alerts.created_at',
      'alerts.acknowledged_at',
      'incidents.type',
      'vehicles.plate',
      'fleets.timezone',
      'fleets.locale',
      'fleets.notifications',
    ])
    .where('alerts.id', '=', alertId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    fleetId: row.fleet_id,
    incidentId: row.incident_id,
    severity: row.severity,
    message: row.message,
    type: row.type ?? null,
    plate: row.plate ?? null,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    timeZone: row.timezone,
    lang: row.locale,
    escalation: row.notifications,
  };
}

export const personAlert = (alert: AlertToNotify, reason: 'alert' | 'escalation', now: number): AlertForPerson => ({
  alertId: alert.id,
  incidentId: alert.incidentId,
  severity: alert.severity,
  message: alert.message,
  plate: alert.plate,
  createdAt: alert.createdAt,
  timeZone: alert.timeZone,
  // People have no language of their own yet: the fleet's, the language the alert's message is written in.
  lang: alert.lang,
  reason,
  unacknowledgedMinutes: Math.round((now - alert.createdAt.getTime()) / 60_000),
});

/** Push to each of the person's browsers and email to their address, for the given people; no preference applies. */
export async function planFor(
  platform: Platform,
  people: Array<{ id: string; email: string }>,
  alert: AlertToNotify,
  reason: 'alert' | 'escalation',
  choose: (userId: string, channel: 'push' | 'email') => Pick<PlannedDelivery, 'status' | 'hold'> | null,
): Promise<PlannedDelivery[]> {
  if (people.length === 0) return [];
  const db = platform.db.kysely;
  const now = platform.clock.now();
  const subs = await db
    .selectFrom('push_subscriptions')
    .select(['user_id', 'endpoint'])
    .where(
      'user_id',
      'in',
      people.map((p) => p.id),
    )
    .orderBy('created_at')
    .execute();
  const words = personAlert(alert, reason, now);
  const push = alertPush(words);
  const email = alertEmail(words, publicUrl(platform.config));
  const planned: PlannedDelivery[] = [];
  for (const person of people) {
    const pushChoice = choose(person.id, 'push');
    if (pushChoice)
      for (const sub of subs.filter((s) => s.user_id === person.id))
        planned.push({
          userId: person.id,
          channel: 'push',
          target: sub.endpoint,
          reason,
          payload: push,
          ...pushChoice,
        });
    const emailChoice = choose(person.id, 'email');
    if (emailChoice)
      planned.push({
        userId: person.id,
        channel: 'email',
        target: person.email,
        reason,
        payload: email,
        ...emailChoice,
      });
  }
  return planned;
}

export async function notifyAlert(
  platform: Platform,
  alertId: string,
): Promise<{ created: number; sent: number; held: number } | null> {
  const db = platform.db.kysely;
  const alert = await loadAlert(db, alertId);
  if (!alert) return null;
  const people = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('fleet_id', '=', alert.fleetId)
    .where('role', 'in', ['owner', 'viewer'])
    .orderBy('id')
    .execute();
  const stored =
    people.length === 0
      ? []
      : await db
          .selectFrom('notification_preferences')
          .select(['user_id', 'preferences'])
          .where(
            'user_id',
            'in',
            people.map((p) => p.id),
          )
          .execute();
  const prefsOf = new Map(stored.map((s) => [s.user_id, preferencesOrDefault(s.preferences)]));
  // Decided at the alert's time, not the job's: a job that ran late still follows the hour the alert was raised.
  const at = alert.createdAt.getTime();
  const planned = await planFor(platform, people, alert, 'alert', (userId, channel) => {
    const decision = decide(prefsOf.get(userId) ?? preferencesOrDefault(null), channel, alert, alert.timeZone, at);
    if (decision === 'skip') return null;
    if (decision === 'send') return { status: 'pending' };
    return { status: 'held', hold: decision === 'hold_quiet' ? 'quiet_hours' : 'digest' };
  });
  const created = await recordDeliveries(
    platform,
    { fleetId: alert.fleetId, alertId: alert.id, scope: alert.id },
    planned,
  );
  if (planned.length > 0) {
    const notified = new Set(planned.map((p) => p.userId));
    await recordAlertEvent(platform, alert.id, 'notified', 'notified', {
      people: notified.size,
      // Named on the incident page's timeline ("Notified ana@…, luis@…").
      emails: people.filter((p) => notified.has(p.id)).map((p) => p.email),
      push: planned.filter((p) => p.channel === 'push' && p.status === 'pending').length,
      email: planned.filter((p) => p.channel === 'email' && p.status === 'pending').length,
      held: planned.filter((p) => p.status === 'held').length,
    });
  }
  // The rows this run or an earlier, interrupted one wrote and nobody has tried yet.
  const untried = await db
    .selectFrom('notification_deliveries')
    .select('id')
    .where('alert_id', '=', alert.id)
    .where('reason', '=', 'alert')
    .where('status', '=', 'pending')
    .where('attempts', '=', 0)
    .execute();
  const counts = await sendAll(
    platform,
    untried.map((r) => r.id),
  );
  return { created: created.length, sent: counts.sent, held: planned.filter((p) => p.status === 'held').length };
}

/** After an alert is raised and committed: its notifications go out from the queue (retried, never twice). */
export async function enqueueAlertNotification(platform: Platform, alertId: string): Promise<void> {
  try {
    await platform.queue.enqueue('notify-alert', { alertId }, { dedupeId: `notify-alert:${alertId}` });
  } catch (error) {
    // The alert itself stands and is on the live feed; only its push and email are missing, and the log says so.
    platform.log.error("could not queue the alert's notifications", { alertId, error: String(error) });
  }
}
