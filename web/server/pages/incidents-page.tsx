/** /incidents: filterable by status, severity, source, type and taxi (a plain GET form: works without scripts). */
import { INCIDENT_TYPES, incidentTypeLabel, labelOf } from '../../i18n/labels.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';
import type { PageHandler } from '../register-web.ts';
import { allVehicles } from './map-page.tsx';
import { localDaysRange } from '../../../edge/domain/fleet-time.ts';
import { isCalendarDate } from '../../../edge/domain/validation.ts';

export interface ApiIncident {
  id: string;
  vehicle_id: string;
  type: string;
  severity: string;
  status: string;
  source: string;
  confidence: number | null;
  description: string | null;
  latitude: number | null;
  longitude: number | null;
  occurred_at: string;
  occurrences: number;
  status_reason: string | null;
  frame_id: string | null;
}

const FILTERS = {
  status: ['open', 'acknowledged', 'resolved', 'false_positive'],
  severity: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'],
  source: ['vision', 'telemetry'],
} as const;
const LABEL_PREFIX = { status: 'istatus', severity: 'severity', source: 'source' } as const;
/** The known types, plus one from the address the list does not know yet (a newer model's type). */
const typeChoices = (current: string | undefined): string[] =>
  current && !(INCIDENT_TYPES as readonly string[]).includes(current) ? [...INCIDENT_TYPES, current] : [...INCIDENT_TYPES];

export const incidentsPage: PageHandler = async (c, ctx) => {
  const { t, dateTime } = ctx.i18n;
  const query = new URLSearchParams();
  for (const name of ['status', 'severity', 'source', 'type', 'vehicle_id', 'driver_id', 'cursor'] as const) {
    const value = c.req.query(name);
    if (value) query.set(name, value);
  }
  // from/to are the fleet's local days (the assistant's links carry them): the API takes the instants they span.
  const [fromDay, toDay] = [c.req.query('from'), c.req.query('to')];
  const days = fromDay && isCalendarDate(fromDay) ? localDaysRange(fromDay, toDay && isCalendarDate(toDay) && toDay >= fromDay ? toDay : fromDay, ctx.i18n.timeZone) : null;
  const apiQuery = new URLSearchParams(query);
  if (days) {
    apiQuery.set('from', days.start.toISOString());
    apiQuery.set('to', new Date(days.end.getTime() - 1).toISOString());
  }
  apiQuery.set('limit', '30');
  const [page, vehicles] = await Promise.all([ctx.api<{ data: ApiIncident[]; next_cursor: string | null }>(`/api/v1/incidents?${apiQuery}`), allVehicles(ctx)]);
  const plates = new Map(vehicles.map((v) => [v.id, v.plate]));
  const more = new URLSearchParams(query);
  if (days) for (const name of ['from', 'to'] as const) more.set(name, c.req.query(name)!);
  if (page.next_cursor) more.set('cursor', page.next_cursor);

  return {
    title: t('incidents.title'),
    body: (
      <>
        <h1>{t('incidents.title')}</h1>
        <form class="filters card" method="get" action="/incidents" aria-label={t('incidents.filter')}>
          {(Object.keys(FILTERS) as Array<keyof typeof FILTERS>).map((name) => (
            <label>
              {t(`incidents.${name}` as MessageKey)}
              <select name={name}>
                <option value="">{t('incidents.any')}</option>
                {FILTERS[name].map((value) => (
                  <option value={value} selected={c.req.query(name) === value}>
                    {t(`${LABEL_PREFIX[name]}.${value}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            {t('incidents.vehicle')}
            <select name="vehicle_id">
              <option value="">{t('incidents.any')}</option>
              {vehicles.map((v) => (
                <option value={v.id} selected={c.req.query('vehicle_id') === v.id}>
                  {v.plate}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('incidents.type')}
            <select name="type">
              <option value="">{t('incidents.any')}</option>
              {typeChoices(c.req.query('type')).map((type) => (
                <option value={type} selected={c.req.query('type') === type}>
                  {incidentTypeLabel(t, type)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('incidents.filter')}</button>
        </form>
        {page.data.length === 0 && <p>{t('incidents.empty')}</p>}
        <ul class="plain cards" data-testid="incident-list">
          {page.data.map((incident) => (
            <li class={`card sev-border-${incident.severity}`}>
              <a class="row-link" href={`/incidents/${incident.id}`}>
                <span class={`sev sev-${incident.severity}`}>{labelOf(t, 'severity', incident.severity)}</span>
                <strong data-type={incident.type}>{incidentTypeLabel(t, incident.type)}</strong>
                <span>{plates.get(incident.vehicle_id) ?? ''}</span>
                <span class={`pill status-${incident.status}`}>{labelOf(t, 'istatus', incident.status)}</span>
                <time dateTime={incident.occurred_at}>{dateTime(incident.occurred_at)}</time>
              </a>
            </li>
          ))}
        </ul>
        {page.next_cursor && (
          <a class="button-link" href={`/incidents?${more}`}>
            {t('incidents.more')}
          </a>
        )}
      </>
    ),
  };
};
