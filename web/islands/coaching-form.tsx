/** Records a coaching session for a driver (POST /api/v1/drivers/{id}/coaching-sessions), then reloads the scorecard. */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface CoachingFormProps {
  driverId: string;
  /** Incidents that can be ticked as discussed: id and a label already in the page's language. */
  incidents: Array<{ id: string; label: string }>;
}

export default function CoachingForm({ driverId, incidents }: CoachingFormProps) {
  const { t } = useI18n();
  const { busy, note, run } = useAction();
  // One key per form shown: a retried submit (a lost answer, a double tap) records the session once.
  const [key] = useState(() => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const followUp = text('follow_up_on');
    return run(async () => {
      await api(`/api/v1/drivers/${encodeURIComponent(driverId)}/coaching-sessions`, {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: {
          incident_ids: form.getAll('incident_ids').map(String),
          notes: text('notes'),
          agreed_action: text('agreed_action'),
          ...(followUp ? { follow_up_on: followUp } : {}),
        },
      });
      location.reload();
    }, null);
  };

  return (
    <form class="card coaching-form" onSubmit={submit} aria-labelledby="coaching-form-title">
      <h2 id="coaching-form-title">{t('scores.newSession')}</h2>
      {incidents.length > 0 && (
        <fieldset>
          <legend>{t('scores.discussed')}</legend>
          {incidents.map((i) => (
            <label key={i.id} class="check">
              <input type="checkbox" name="incident_ids" value={i.id} /> {i.label}
            </label>
          ))}
        </fieldset>
      )}
      <label for="coaching-notes">{t('scores.notes')}</label>
      <textarea id="coaching-notes" name="notes" maxLength={4000} rows={3} />
      <label for="coaching-action">{t('scores.agreedAction')}</label>
      <input id="coaching-action" name="agreed_action" maxLength={1000} autoComplete="off" />
      <label for="coaching-follow-up">{t('scores.followUpOn')}</label>
      <input id="coaching-follow-up" name="follow_up_on" type="date" />
      <button type="submit" disabled={busy}>
        {t('scores.save')}
      </button>
      <ActionNote note={note} />
    </form>
  );
}
