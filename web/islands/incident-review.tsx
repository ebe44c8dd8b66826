/** Review actions on an incident: acknowledge, resolve, or false positive with a reason. Live changes show too. */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { incidentStatus } from '../client/stores.ts';
import { labelOf } from '../i18n/labels.ts';
import { useI18n } from './use-i18n.ts';

export interface IncidentReviewProps {
  id: string;
  status: string;
  reason: string | null;
  canReview: boolean;
}

const CLOSED = new Set(['resolved', 'false_positive', 'withdrawn']);
/** Statuses only a person gives (open is nobody's verdict yet; withdrawn is the rules taking a detection back). */
const REVIEWED = new Set(['acknowledged', 'resolved', 'false_positive']);

export default function IncidentReview({ id, status: initialStatus, reason: initialReason, canReview }: IncidentReviewProps) {
  const { t } = useI18n();
  const [saved, setSaved] = useState<{ status: string; reason: string | null } | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const live = typeof window === 'undefined' ? undefined : incidentStatus.value[id];
  const status = saved?.status ?? live ?? initialStatus;
  const shownReason = saved ? saved.reason : initialReason;

  const review = async (next: 'acknowledged' | 'resolved' | 'false_positive') => {
    if (next === 'false_positive' && !reason.trim()) {
      setMessage(t('incident.reasonRequired'));
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const updated = await api<{ status: string; status_reason: string | null }>(`/api/v1/incidents/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: next === 'false_positive' ? { status: next, reason: reason.trim() } : { status: next },
      });
      setSaved({ status: updated.status, reason: updated.status_reason });
      setMessage(t('incident.saved'));
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card review" aria-labelledby="review-title">
      <h2 id="review-title">{t('incident.review')}</h2>
      <p data-testid="incident-status" data-status={status}>
        {status === 'open' ? t('incident.notReviewed') : REVIEWED.has(status) ? t('incident.reviewedAs', { status: labelOf(t, 'istatus', status) }) : t('incident.statusIs', { status: labelOf(t, 'istatus', status) })}
        {shownReason && ` — ${shownReason}`}
      </p>
      {canReview && !CLOSED.has(status) && (
        <div class="review-actions">
          {status === 'open' && (
            <button type="button" disabled={busy} onClick={() => review('acknowledged')}>
              {t('incident.acknowledge')}
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => review('resolved')}>
            {t('incident.resolve')}
          </button>
          <label for="fp-reason">{t('incident.reason')}</label>
          <textarea id="fp-reason" rows={2} maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="button" class="danger" disabled={busy} onClick={() => review('false_positive')}>
            {t('incident.falsePositive')}
          </button>
        </div>
      )}
      {message && (
        <p role="status" class="review-message">
          {message}
        </p>
      )}
    </section>
  );
}
