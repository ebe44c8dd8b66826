/**
 * The notification pieces other pages show: the "Get alerts on this phone" card (alerts page, map), a person's own
 * notification settings and the fleet's escalation (settings page), and an incident's alert timeline and delivery
 * log (incident page). Each reads its API as the signed-in person and leaves its piece out when that API refuses or
 * is absent (an API key, a role without access, a server older than the notifications API).
 */
import AlertDeliveries, { type Delivery, type TimelineItem } from '../../islands/alert-deliveries.tsx';
import EscalationSettings, { type EscalationPerson } from '../../islands/escalation-settings.tsx';
import { INCIDENT_TYPES } from '../../i18n/labels.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from '../../islands/notification-preferences.ts';
import NotificationSettings, { type PushDevice } from '../../islands/notification-settings.tsx';
import PushCard from '../../islands/push-card.tsx';
import { Island } from '../island.tsx';
import { ApiReadError, type PageContext } from '../page-context.ts';

/** The API's answer, or null when it refuses this person (403) or does not have the route (404, 405). */
async function readIfAllowed<T>(ctx: PageContext, path: string): Promise<T | null> {
  try {
    return await ctx.api<T>(path);
  } catch (error) {
    if (error instanceof ApiReadError && [403, 404, 405].includes(error.status)) return null;
    throw error;
  }
}

/** Only people get pushes: an API key has no phone. */
const isPerson = (ctx: PageContext) => Boolean(ctx.principal?.userId && !ctx.principal.apiKey);

export function PushCardSection({ ctx }: { ctx: PageContext }) {
  return isPerson(ctx) ? <Island name="push-card" component={PushCard} props={{ dismissable: true }} /> : null;
}

export async function notificationSettings(ctx: PageContext) {
  if (!isPerson(ctx)) return null;
  const [preferences, devices] = await Promise.all([
    readIfAllowed<NotificationPreferences>(ctx, '/api/v1/notifications/preferences'),
    readIfAllowed<{ items: PushDevice[] }>(ctx, '/api/v1/notifications/push-subscriptions'),
  ]);
  if (!preferences) return null;
  const value: NotificationPreferences = {
    channels: {
      push: { ...DEFAULT_PREFERENCES.channels.push, ...preferences.channels?.push },
      email: { ...DEFAULT_PREFERENCES.channels.email, ...preferences.channels?.email },
    },
    quiet_hours: { ...DEFAULT_PREFERENCES.quiet_hours, ...preferences.quiet_hours },
  };
  const items = (devices?.items ?? []).map(({ id, endpoint, user_agent, created_at, last_used_at }) => ({
    id,
    endpoint,
    user_agent,
    created_at,
    last_used_at,
  }));
  return (
    <Island
      name="notification-settings"
      component={NotificationSettings}
      props={{ preferences: value, devices: items, types: INCIDENT_TYPES }}
    />
  );
}

export interface FleetNotifications {
  escalate_after_minutes: number | null;
  escalation_list: string[];
}

/** The owner's escalation card; absent until the fleet carries `notifications` (the server's notifications API). */
export function EscalationSection({
  fleetId,
  notifications,
  people,
}: {
  fleetId: string;
  notifications: FleetNotifications | undefined;
  people: EscalationPerson[];
}) {
  if (!notifications) return null;
  return (
    <Island
      name="escalation-settings"
      component={EscalationSettings}
      props={{
        fleetId,
        escalateAfterMinutes: notifications.escalate_after_minutes ?? null,
        escalationList: notifications.escalation_list ?? [],
        people: people.map(({ id, email, name }) => ({ id, email, name })),
      }}
    />
  );
}

/** The incident's alert (an incident raises one). */
async function alertOf(ctx: PageContext, incident: { id: string }): Promise<string | null> {
  const page = await readIfAllowed<{ data: Array<{ id: string; incident_id: string | null }> }>(
    ctx,
    `/api/v1/alerts?incident_id=${encodeURIComponent(incident.id)}&limit=1`,
  );
  return page?.data.find((a) => a.incident_id === incident.id)?.id ?? null;
}

export async function alertDeliveries(
  ctx: PageContext,
  incident: { id: string; vehicle_id: string; occurred_at: string },
) {
  const alertId = await alertOf(ctx, incident);
  if (!alertId) return null;
  const [timeline, deliveries] = await Promise.all([
    readIfAllowed<{ items: TimelineItem[] }>(ctx, `/api/v1/alerts/${encodeURIComponent(alertId)}/timeline`),
    readIfAllowed<{ items: Delivery[] }>(ctx, `/api/v1/alerts/${encodeURIComponent(alertId)}/deliveries`),
  ]);
  if (!timeline && !deliveries) return null;
  return (
    <Island
      name="alert-deliveries"
      component={AlertDeliveries}
      props={{ alertId, timeline: timeline?.items ?? [], deliveries: deliveries?.items ?? null }}
    />
  );
}
