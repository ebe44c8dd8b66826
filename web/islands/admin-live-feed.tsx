/**
 * Every event of every fleet as it happens, from the tab's one live connection (no second stream): filters by
 * type and fleet, and a pause that holds new events and says how many are waiting.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { LIVE_EVENTS, onLiveEvent } from '../client/live-feed.ts';
import { emptyFeed, heldMatching, matches, pause, receive, resume, summarize, type FeedFilter } from './admin-live-buffer.ts';
import { labelOf } from '../i18n/labels.ts';
import { useI18n } from './use-i18n.ts';

export interface AdminLiveFeedProps {
  fleets: Array<{ id: string; name: string }>;
  /** Vehicle id → plate, so events that name only the vehicle still read as a taxi. */
  plates: Record<string, string>;
}

const TYPES = LIVE_EVENTS.filter((type) => type !== 'session_ended');

export default function AdminLiveFeed({ fleets, plates }: AdminLiveFeedProps) {
  const { t, time } = useI18n();
  const feed = useSignal(emptyFeed());
  const filter = useSignal<FeedFilter>({ type: null, fleetId: null });
  const fleetName = new Map(fleets.map((f) => [f.id, f.name]));

  useEffect(() => {
    let local = 0;
    return onLiveEvent((type, data) => {
      const record = (data ?? {}) as Record<string, unknown>;
      if (!record.plate && typeof record.vehicle_id === 'string' && plates[record.vehicle_id]) record.plate = plates[record.vehicle_id];
      // Listeners get the event's data, not its SSE id: a local sequence keys the rows.
      feed.value = receive(feed.value, { id: String(++local), type, fleetId: typeof record.fleet_id === 'string' ? record.fleet_id : null, at: typeof record.at === 'string' ? record.at : new Date().toISOString(), summary: summarize(type, record, (kind, code) => labelOf(t, kind, code)) });
    });
  }, []);

  const state = feed.value;
  const shown = state.shown.filter((e) => matches(e, filter.value));
  const held = heldMatching(state, filter.value);
  return (
    <div class="admin-live">
      <div class="card filters admin-live-controls">
        <div>
          <label for="live-type">{t('adminLive.type')}</label>
          <select id="live-type" value={filter.value.type ?? ''} onChange={(e) => (filter.value = { ...filter.value, type: (e.currentTarget as HTMLSelectElement).value || null })}>
            <option value="">{t('adminLive.all')}</option>
            {TYPES.map((type) => (
              <option value={type}>{labelOf(t, 'event', type)}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="live-fleet">{t('adminLive.fleet')}</label>
          <select id="live-fleet" value={filter.value.fleetId ?? ''} onChange={(e) => (filter.value = { ...filter.value, fleetId: (e.currentTarget as HTMLSelectElement).value || null })}>
            <option value="">{t('adminLive.all')}</option>
            {fleets.map((f) => (
              <option value={f.id}>{f.name}</option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="button" aria-pressed={state.paused} onClick={() => (feed.value = state.paused ? resume(state) : pause(state))} data-testid="live-pause">
            {state.paused ? t('adminLive.resume') : t('adminLive.pause')}
          </button>
          <button type="button" class="secondary" onClick={() => (feed.value = { ...emptyFeed(), paused: state.paused })}>
            {t('adminLive.clear')}
          </button>
        </div>
      </div>
      {state.paused && (
        <p class="notice" role="status" data-testid="live-held">
          {t('adminLive.held', { count: held })}
        </p>
      )}
      {shown.length === 0 ? (
        <p>{t('adminLive.empty')}</p>
      ) : (
        // A card per event on phones (app.css), the explanation on its own full-width line.
        <div class="table-wrap">
          <table data-testid="live-events" class="cards-on-phone live-events" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">{t('adminLive.type')}</th>
                <th scope="col" role="columnheader">{t('incidents.when')}</th>
                <th scope="col" role="columnheader">{t('adminLive.fleet')}</th>
                <th scope="col" role="columnheader">{t('incident.explanation')}</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {shown.map((e) => (
                <tr key={e.id} data-event-type={e.type} role="row">
                  <td role="cell" data-label={t('adminLive.type')}>
                    {labelOf(t, 'event', e.type)}
                  </td>
                  <td role="cell" data-label={t('incidents.when')}>
                    {time(e.at)}
                  </td>
                  <td role="cell" data-label={t('adminLive.fleet')}>
                    {e.fleetId ? fleetName.get(e.fleetId) ?? e.fleetId : '—'}
                  </td>
                  <td role="cell" data-label="" class="wrap explanation">
                    {e.summary}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted">{t('adminLive.shown', { count: shown.length })}</p>
    </div>
  );
}
