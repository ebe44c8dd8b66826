/** A tapped taxi: plate, status, driver, speed, last report, today's trips and open incidents. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { onLiveEvent } from '../client/live-feed.ts';
import { vehicles } from '../client/stores.ts';
import { startOfDayIn } from '../i18n/zoned-day.ts';
import { incidentTypeLabel, labelOf } from '../i18n/labels.ts';
import { useI18n } from './use-i18n.ts';

interface Trip {
  id: string;
  started_at: string;
  distance_m: number | null;
}
interface Incident {
  id: string;
  type: string;
  severity: string;
  occurred_at: string;
}
interface Details {
  trips: Trip[];
  incidents: Incident[];
  driver: string | null;
}

export function VehiclePanel({ id, onClose }: { id: string; onClose: () => void }) {
  const i18n = useI18n();
  const { t, time, unit, dateTime } = i18n;
  const [details, setDetails] = useState<Details | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const vehicle = vehicles.get(id)?.value;

  useEffect(() => {
    heading.current?.focus();
    setDetails(null);
    setError(null);
    const from = startOfDayIn(i18n.timeZone, Date.now()).toISOString();
    void (async () => {
      // The driver is whoever is assigned to the taxi now (the vehicle's `driver`), not the last trip's.
      const [trips, incidents, current] = await Promise.all([
        api<{ data: Trip[] }>(`/api/v1/trips?vehicle_id=${encodeURIComponent(id)}&from=${encodeURIComponent(from)}&limit=100`),
        api<{ data: Incident[] }>(`/api/v1/incidents?vehicle_id=${encodeURIComponent(id)}&status=open&limit=20`),
        api<{ driver: { name: string } | null }>(`/api/v1/vehicles/${encodeURIComponent(id)}`),
      ]);
      setDetails({ trips: trips.data, incidents: incidents.data, driver: current.driver?.name ?? null });
    })().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    // The owner (or a colleague) may hand the taxi to another driver while the panel is open.
    return onLiveEvent((type, data) => {
      if (type === 'driver_changed' && data?.vehicle_id === id) setDetails((d) => (d ? { ...d, driver: data.driver?.name ?? null } : d));
    });
  }, [id]);

  if (!vehicle) return null;
  const km = details ? details.trips.reduce((sum, trip) => sum + (trip.distance_m ?? 0), 0) / 1000 : null;
  return (
    <section class="vehicle-panel card" aria-labelledby="vehicle-panel-title" data-testid="vehicle-panel">
      <div class="panel-head">
        <h2 id="vehicle-panel-title" tabIndex={-1} ref={heading}>
          {vehicle.plate}
        </h2>
        <button type="button" class="icon-button" onClick={onClose} aria-label={t('vehicle.close')}>
          ×
        </button>
      </div>
      <dl class="facts">
        <dt>{t('vehicle.status')}</dt>
        <dd>{labelOf(t, 'status', vehicle.status)}</dd>
        <dt>{t('vehicle.driver')}</dt>
        <dd>{details ? details.driver ?? t('vehicle.none') : '…'}</dd>
        <dt>{t('vehicle.speed')}</dt>
        <dd data-testid="vehicle-speed">{unit(vehicle.location?.speed_kmh, 'km/h')}</dd>
        <dt>{t('vehicle.lastReport')}</dt>
        <dd>{dateTime(vehicle.location?.device_time)}</dd>
        <dt>{t('vehicle.tripsToday')}</dt>
        <dd>{details ? `${details.trips.length} · ${unit(km, 'km', 1)}` : '…'}</dd>
      </dl>
      <h3>{t('vehicle.openIncidents')}</h3>
      {error && <p role="alert">{error}</p>}
      {details && details.incidents.length === 0 && <p>{t('vehicle.none')}</p>}
      <ul class="plain">
        {details?.incidents.map((incident) => (
          <li key={incident.id}>
            <a href={`/incidents/${incident.id}`}>
              <span class={`sev sev-${incident.severity}`}>{labelOf(t, 'severity', incident.severity)}</span> {incidentTypeLabel(t, incident.type)} · {time(incident.occurred_at)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
