/**
 * /reports: request a report (any days, one taxi or driver, PDF/CSV/Excel) and the list of reports with their state.
 * A requested report shows as "being made" and turns ready when its `report_ready` arrives on the live feed;
 * "Open" and "Download" go through /api/v1/reports/{id}/file, which signs a fresh link on each click.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api } from '../client/api.ts';
import { onLiveEvent } from '../client/live-feed.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface ReportItem {
  id: string;
  kind: 'daily' | 'on_demand';
  format: 'pdf' | 'csv' | 'xlsx';
  status: 'queued' | 'ready' | 'failed';
  from: string;
  to: string;
  vehicle_id: string | null;
  driver_id: string | null;
  pages: number | null;
  error: string | null;
  created_at: string;
  expires_at: string | null;
}

export interface ReportsPanelProps {
  reports: ReportItem[];
  vehicles: Array<{ id: string; plate: string }>;
  drivers: Array<{ id: string; name: string }>;
  canWrite: boolean;
  /** The fleet's today, the latest day a report can cover. */
  today: string;
}

const pick = (item: ReportItem): ReportItem => ({ id: item.id, kind: item.kind, format: item.format, status: item.status, from: item.from, to: item.to, vehicle_id: item.vehicle_id, driver_id: item.driver_id, pages: item.pages, error: item.error, created_at: item.created_at, expires_at: item.expires_at });

export default function ReportsPanel({ reports: initial, vehicles, drivers, canWrite, today }: ReportsPanelProps) {
  const { t, dateTime } = useI18n();
  const reports = useSignal<ReportItem[]>(initial);
  const request = useAction();
  const rowNotes = useSignal<Record<string, string>>({});
  const upsert = (item: ReportItem) => {
    const others = reports.value.filter((r) => r.id !== item.id);
    reports.value = [pick(item), ...others].sort((a, b) => (a.id < b.id ? 1 : -1));
  };

  useEffect(() => onLiveEvent((type, data) => type === 'report_ready' && upsert(data)), []);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '') || undefined;
    return request.run(async () => {
      upsert(await api<ReportItem>('/api/v1/reports', { method: 'POST', body: { from: value('from'), to: value('to'), vehicle_id: value('vehicle_id'), driver_id: value('driver_id'), format: value('format') } }));
    }, t('reports.requested'));
  };

  const regenerate = async (id: string) => {
    try {
      upsert(await api<ReportItem>(`/api/v1/reports/${encodeURIComponent(id)}/regenerate`, { method: 'POST' }));
      rowNotes.value = { ...rowNotes.value, [id]: t('reports.regenerating') };
    } catch (e) {
      rowNotes.value = { ...rowNotes.value, [id]: e instanceof Error ? e.message : String(e) };
    }
  };

  const plate = (id: string | null) => vehicles.find((v) => v.id === id)?.plate ?? id;
  const driver = (id: string | null) => drivers.find((d) => d.id === id)?.name ?? id;
  const title = (r: ReportItem) => {
    const days = r.from === r.to ? r.from : `${r.from} → ${r.to}`;
    const who = [r.vehicle_id && plate(r.vehicle_id), r.driver_id && driver(r.driver_id)].filter(Boolean).join(' · ');
    return `${t(r.kind === 'daily' ? 'reports.daily' : 'reports.onDemand')} ${days}${who ? ` · ${who}` : ''}`;
  };

  return (
    <div class="reports-panel">
      {canWrite && (
        <form class="card report-request" onSubmit={submit}>
          <h2>{t('reports.request')}</h2>
          <div class="field-row">
            <div>
              <label for="report-from">{t('reports.from')}</label>
              <input id="report-from" name="from" type="date" required max={today} defaultValue={today} />
            </div>
            <div>
              <label for="report-to">{t('reports.to')}</label>
              <input id="report-to" name="to" type="date" required max={today} defaultValue={today} />
            </div>
          </div>
          <label for="report-vehicle">{t('reports.vehicle')}</label>
          <select id="report-vehicle" name="vehicle_id">
            <option value="">{t('reports.all')}</option>
            {vehicles.map((v) => (
              <option value={v.id}>{v.plate}</option>
            ))}
          </select>
          <label for="report-driver">{t('reports.driver')}</label>
          <select id="report-driver" name="driver_id">
            <option value="">{t('reports.all')}</option>
            {drivers.map((d) => (
              <option value={d.id}>{d.name}</option>
            ))}
          </select>
          <label for="report-format">{t('reports.format')}</label>
          <select id="report-format" name="format">
            {(['pdf', 'csv', 'xlsx'] as const).map((f) => (
              <option value={f}>{t(`reports.format${f[0].toUpperCase()}${f.slice(1)}` as MessageKey)}</option>
            ))}
          </select>
          <p class="actions">
            <button type="submit" disabled={request.busy}>
              {t('reports.submit')}
            </button>
          </p>
          <ActionNote note={request.note} />
        </form>
      )}
      <section class="card" aria-labelledby="reports-list-title">
        <h2 id="reports-list-title">{t('reports.list')}</h2>
        {reports.value.length === 0 ? (
          <p>{t('reports.empty')}</p>
        ) : (
          <ul class="plain report-list" data-testid="report-list">
            {reports.value.map((r) => (
              <li class={`report-item report-${r.status}`} data-report-id={r.id} data-status={r.status}>
                <div class="report-title">
                  <strong>{title(r)}</strong> <span class="pill">{r.format.toUpperCase()}</span> <span class="status-pill">{t(`reports.status.${r.status}` as MessageKey)}</span>
                </div>
                <div class="muted report-meta">
                  {dateTime(r.created_at)}
                  {r.pages !== null && ` · ${t('reports.pages', { pages: r.pages })}`}
                  {r.expires_at && ` · ${t('reports.expires', { date: dateTime(r.expires_at) })}`}
                </div>
                {r.status === 'failed' && r.error && <p class="error">{r.error}</p>}
                <div class="actions">
                  {r.status === 'ready' && (
                    <>
                      <a class="button-link" href={`/api/v1/reports/${r.id}/file`} target="_blank" rel="noopener">
                        {t('reports.open')}
                      </a>
                      <a class="button-link secondary" href={`/api/v1/reports/${r.id}/file`} download>
                        {t('reports.download')}
                      </a>
                    </>
                  )}
                  {canWrite && r.status !== 'queued' && (
                    <button type="button" class="secondary" onClick={() => regenerate(r.id)}>
                      {t('reports.regenerate')}
                    </button>
                  )}
                  {rowNotes.value[r.id] && <span role="status" class="hint">{rowNotes.value[r.id]}</span>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
