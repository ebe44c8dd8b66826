/**
 * After an incident is recorded and committed: a new one goes out as `new_alert` (the live feed and the fleet's
 * webhooks, in the same shape as telemetry alerts), a merged one as `incident_updated` — one alert per episode,
 * not one per frame.
 *
 * Notification: webhooks carry every alert with its severity, so an integrator can page someone on HIGH and
 * CRITICAL; a merge that raises an incident to HIGH or CRITICAL is announced like any other update. A new alert
 * also reaches the fleet's people by push and email, as each of them chose (the notify-alert job).
 */
import type { Platform } from '../../platform.ts';
import type { LiveEventPayloads } from '../live-events.ts';
import { dispatchWebhookEvent } from '../webhooks/dispatch.ts';
import { enqueueAlertNotification } from '../notifications/notify-alert.ts';
import type { Detection, RecordedIncident } from './record-incident.ts';

/** An event to send once the incident's transaction has committed; JSON-safe, so a job can store it and resend it. */
export type Announcement =
  | { fleetId: string; event: 'new_alert'; data: LiveEventPayloads['new_alert'] }
  | { fleetId: string; event: 'incident_updated'; data: LiveEventPayloads['incident_updated'] };

export function incidentAnnouncement(detection: Detection, recorded: RecordedIncident): Announcement {
  if (recorded.kind === 'created') {
    const alert = {
      alert_id: recorded.alertId,
      incident_id: recorded.incidentId,
      vehicle_id: detection.vehicleId,
      plate: recorded.plate,
      trip_id: detection.tripId ?? null,
      frame_id: detection.frameId ?? null,
      source: detection.source,
      type: detection.type,
      severity: detection.severity,
      confidence: detection.confidence,
      description: detection.description,
      latitude: detection.latitude ?? null,
      longitude: detection.longitude ?? null,
      occurred_at: detection.occurredAt.toISOString(),
    };
    return { fleetId: detection.fleetId, event: 'new_alert', data: alert };
  }
  const update = {
    incident_id: recorded.incidentId,
    vehicle_id: detection.vehicleId,
    plate: recorded.plate,
    source: detection.source,
    type: detection.type,
    status: recorded.status,
    change: 'merged' as const,
    severity: recorded.severity,
    previous_severity: recorded.previousSeverity,
    occurrences: recorded.occurrences,
    last_seen_at: recorded.lastSeenAt.toISOString(),
    frame_id: detection.frameId ?? null,
  };
  return { fleetId: detection.fleetId, event: 'incident_updated', data: update };
}

/** The live feed first (people watching), then the webhooks (queued deliveries that retry on their own). */
export async function publishAnnouncement(platform: Platform, announcement: Announcement): Promise<void> {
  if (announcement.event === 'new_alert') await platform.bus.publish(announcement.fleetId, 'new_alert', announcement.data);
  else await platform.bus.publish(announcement.fleetId, 'incident_updated', announcement.data);
  await dispatchWebhookEvent(platform, announcement.fleetId, announcement.event, announcement.data);
  if (announcement.event === 'new_alert') await enqueueAlertNotification(platform, announcement.data.alert_id);
}
