/**
 * On the incident page: what happened to its alert — who was notified, escalated to, who acknowledged it, and when —
 * and the delivery log (each push and email: channel, target, status, attempts, last error). Read-only; "Refresh"
 * reads both again, since deliveries move from pending to sent (or failed) within seconds to minutes.
 * `deliveries` is null when the API keeps the log from this person (it is the owners' and admins').
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import type { I18n } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface TimelineItem {
  kind: 'notified' | 'escalated' | 'acknowledged' | string;
  detail: Record<string, unknown> | null;
  at: string;
}

export interface Delivery {
  id: string;
  user_id: string | null;
  user_email: string | null;
  channel: 'push' | 'email' | string;
  target: string | null;
  reason: 'alert' | 'escalation' | 'digest' | string;
  status: 'pending' | 'sent' | 'failed' | 'gone' | 'held' | string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface AlertDeliveriesProps {
  alertId: string;
  timeline: TimelineItem[];
  deliveries: Delivery[] | null;
}

/** A known code's words, or the code itself (a newer server may add statuses). */
const word = (t: I18n['t'], prefix: string, code: string) => {
  const key = `${prefix}.${code}` as MessageKey;
  const text = t(key);
  return text === key ? code : text;
};

const PERSON_FIELDS = ['user_email', 'email', 'user_name', 'name', 'by_email', 'by', 'to'];
const PEOPLE_FIELDS = ['users', 'user_emails', 'emails', 'recipients', 'to'];

/** The people a timeline step names, however the step records them (one person, a list, or a group such as admins). */
export function timelineWho(detail: Record<string, unknown> | null, t: I18n['t']): string {
  if (!detail) return t('timeline.someone');
  const asName = (value: unknown): string | null => {
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (value && typeof value === 'object') {
      for (const field of PERSON_FIELDS) {
        const inner = (value as Record<string, unknown>)[field];
        if (typeof inner === 'string' && inner.trim()) return inner.trim();
      }
    }
    return null;
  };
  for (const field of PEOPLE_FIELDS) {
    const list = detail[field];
    if (Array.isArray(list)) {
      const names = list.map(asName).filter((n): n is string => n !== null);
      if (names.length > 0) return names.join(', ');
    }
  }
  for (const field of PERSON_FIELDS) {
    const name = asName(detail[field]);
    if (name) return name;
  }
  return t('timeline.someone');
}

/** One timeline step as a line: "Notified ana@fleet.es". */
export function timelineText(item: TimelineItem, t: I18n['t']): string {
  const who = timelineWho(item.detail, t);
  if (item.kind === 'notified') return t('timeline.notified', { who });
  if (item.kind === 'escalated') return t('timeline.escalated', { who });
  if (item.kind === 'acknowledged') return t('timeline.acknowledged', { who });
  return `${item.kind}: ${who}`;
}

export function DeliveryTable({ deliveries }: { deliveries: Delivery[] }) {
  const { t, dateTime } = useI18n();
  if (deliveries.length === 0) return <p class="muted">{t('deliveries.empty')}</p>;
  const columns: Array<{ label: MessageKey; cell: (d: Delivery) => string | number; wrap?: boolean }> = [
    { label: 'deliveries.when', cell: (d) => dateTime(d.sent_at ?? d.created_at) },
    { label: 'deliveries.channel', cell: (d) => word(t, 'channel', d.channel) },
    { label: 'deliveries.to', cell: (d) => [d.user_email, d.target].filter(Boolean).join(' · ') || '—', wrap: true },
    { label: 'deliveries.reason', cell: (d) => word(t, 'reason', d.reason) },
    { label: 'deliveries.status', cell: (d) => word(t, 'delivery', d.status) },
    { label: 'deliveries.attempts', cell: (d) => d.attempts },
    { label: 'deliveries.error', cell: (d) => d.last_error ?? '—', wrap: true },
  ];
  return (
    <div class="table-wrap" role="region" aria-label={t('deliveries.title')} tabIndex={0}>
      <table class="cards-on-phone" role="table" data-testid="delivery-log">
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((c) => (
              <th scope="col" role="columnheader">
                {t(c.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {deliveries.map((d) => (
            <tr role="row" data-status={d.status}>
              {columns.map((c) => (
                <td role="cell" data-label={t(c.label)} class={c.wrap ? 'wrap-cell' : undefined}>
                  {c.cell(d)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function AlertDeliveries({
  alertId,
  timeline: initialTimeline,
  deliveries: initialDeliveries,
}: AlertDeliveriesProps) {
  const { t, dateTime } = useI18n();
  const [timeline, setTimeline] = useState(initialTimeline);
  const [deliveries, setDeliveries] = useState(initialDeliveries);
  const { busy, note, run } = useAction();
  const id = encodeURIComponent(alertId);

  const refresh = () =>
    run(async () => {
      const [steps, log] = await Promise.all([
        api<{ items: TimelineItem[] }>(`/api/v1/alerts/${id}/timeline`),
        deliveries === null ? Promise.resolve(null) : api<{ items: Delivery[] }>(`/api/v1/alerts/${id}/deliveries`),
      ]);
      setTimeline(steps.items);
      if (log) setDeliveries(log.items);
    }, null);

  return (
    <section class="card alert-deliveries" aria-labelledby="alert-timeline-title" data-testid="alert-deliveries">
      <h2 id="alert-timeline-title">{t('timeline.title')}</h2>
      {timeline.length === 0 ? (
        <p class="muted">{t('timeline.empty')}</p>
      ) : (
        <ol class="plain timeline" data-testid="alert-timeline">
          {timeline.map((item) => (
            <li data-kind={item.kind}>
              <time dateTime={item.at}>{dateTime(item.at)}</time> {timelineText(item, t)}
            </li>
          ))}
        </ol>
      )}
      {deliveries !== null && (
        <>
          <h3>{t('deliveries.title')}</h3>
          <DeliveryTable deliveries={deliveries} />
        </>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={refresh} disabled={busy}>
          {t('deliveries.refresh')}
        </button>
      </div>
      <ActionNote note={note} />
    </section>
  );
}
