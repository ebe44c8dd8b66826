/**
 * Alerts, newest first: the page's list plus every new_alert arriving while it is open, coloured by severity,
 * acknowledged from the list; and the remembered choice of sound/vibration for CRITICAL alerts.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { criticalAlarmEnabled, setCriticalAlarm } from '../client/critical-alarm.ts';
import { liveAlerts, unreadCount, type AlertView } from '../client/stores.ts';
import { incidentTypeLabel, labelOf } from '../i18n/labels.ts';
import { FleetText } from './fleet-text.tsx';
import { useI18n } from './use-i18n.ts';

export interface AlertListProps {
  alerts: Array<AlertView & { read_at?: string | null }>;
  plates: Record<string, string>;
  canAcknowledge: boolean;
  /** Whether alerts arriving live join the top of this list (the newest page without filters). */
  live: boolean;
  /** The language descriptions and messages are written in. */
  fleetLocale: string | null;
}

export default function AlertList({ alerts, plates, canAcknowledge, live, fleetLocale }: AlertListProps) {
  const { t, dateTime } = useI18n();
  const browser = typeof window !== 'undefined';
  const [acknowledged, setAcknowledged] = useState<Record<string, string>>({});
  const [failed, setFailed] = useState<string | null>(null);
  const [alarm, setAlarm] = useState(false);
  // After hydration: the server cannot know this browser's choice, and hydration keeps the server's markup.
  useEffect(() => setAlarm(criticalAlarmEnabled()), []);

  const known = new Set(alerts.map((a) => a.alert_id));
  const all = [...(browser && live ? liveAlerts.value.filter((a) => !known.has(a.alert_id)) : []), ...alerts];

  const acknowledge = async (alert: AlertListProps['alerts'][number]) => {
    setFailed(null);
    try {
      const updated = await api<{ acknowledged_at: string }>(`/api/v1/alerts/${encodeURIComponent(alert.alert_id)}/acknowledge`, { method: 'POST' });
      setAcknowledged((prev) => ({ ...prev, [alert.alert_id]: updated.acknowledged_at }));
      if (!alert.read_at && unreadCount.value > 0) unreadCount.value--;
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
    }
  };

  // Opening an alert's incident reads the alert: it leaves the unread count before the next page renders it.
  const openIncident = async (event: MouseEvent, alert: AlertListProps['alerts'][number]) => {
    const href = (event.currentTarget as HTMLAnchorElement).href;
    if (alert.read_at || acknowledged[alert.alert_id] || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    await api(`/api/v1/alerts/${encodeURIComponent(alert.alert_id)}/read`, { method: 'POST' }).catch(() => {});
    location.assign(href);
  };

  return (
    <div class="alert-list">
      <label class="toggle">
        <input
          type="checkbox"
          checked={alarm}
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            setCriticalAlarm(on);
            setAlarm(on);
          }}
        />
        {t('alerts.sound')}
      </label>
      {failed && <p role="alert">{failed}</p>}
      {all.length === 0 && <p>{t('alerts.empty')}</p>}
      <ul class="plain cards" aria-live="polite" data-testid="alert-list">
        {all.map((alert) => {
          const ackAt = acknowledged[alert.alert_id] ?? alert.acknowledged_at;
          const plate = alert.plate ?? (alert.vehicle_id ? plates[alert.vehicle_id] : null);
          return (
            <li key={alert.alert_id} class={`alert card sev-border-${alert.severity}`} data-alert-id={alert.alert_id}>
              <div class="alert-head">
                <span class={`sev sev-${alert.severity}`}>{labelOf(t, 'severity', alert.severity)}</span>
                {plate && <strong>{plate}</strong>}
                <time dateTime={alert.occurred_at}>{dateTime(alert.occurred_at)}</time>
              </div>
              {/* The type's label follows the page's language; the description is in the fleet's, as the model or the
                  telemetry rule wrote it. Without a type, the message the server wrote in the fleet's language. */}
              <p>
                {alert.type && (alert.description || !alert.message) ? (
                  <>
                    <strong class="alert-type">{incidentTypeLabel(t, alert.type)}</strong>
                    {alert.description && (
                      <>
                        {': '}
                        <FleetText fleetLocale={fleetLocale}>{alert.description}</FleetText>
                      </>
                    )}
                  </>
                ) : (
                  <FleetText fleetLocale={fleetLocale}>{alert.message ?? alert.description}</FleetText>
                )}
              </p>
              <div class="actions">
                {alert.incident_id && (
                  <a href={`/incidents/${alert.incident_id}`} onClick={(e) => openIncident(e, alert)}>
                    {t('alerts.open')}
                  </a>
                )}
                {ackAt ? (
                  <span class="done">{t('alerts.acknowledged')}</span>
                ) : (
                  canAcknowledge && (
                    <button type="button" onClick={() => acknowledge(alert)}>
                      {t('alerts.acknowledge')}
                    </button>
                  )
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
