/**
 * Teach the fleet's model from the incident page: the owner says what the incident's frame shows ("this is phone
 * use", "this is fine"; POST /api/v1/frames/{id}/label), and sees how many examples the model has and how accurate it
 * is on held-out reviews. Its own island, beside the review actions.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface ModelSummary {
  examples: number;
  accuracy: number | null;
  active: boolean;
  min_examples: number;
}

export interface FrameLabelProps {
  frameId: string;
  model: ModelSummary | null;
  canLabel: boolean;
}

const LABELS = [
  { value: 'PHONE_USAGE', text: 'frameLabel.phone' },
  { value: 'NONE', text: 'frameLabel.fine' },
] as const;

export default function FrameLabel({ frameId, model: initialModel, canLabel }: FrameLabelProps) {
  const { t } = useI18n();
  const [model, setModel] = useState(initialModel);
  const { busy, note, run } = useAction();

  const label = (value: string, text: string) =>
    run(async () => {
      const answer = await api<{ model: ModelSummary }>(`/api/v1/frames/${encodeURIComponent(frameId)}/label`, { method: 'POST', body: { label: value } });
      setModel(answer.model);
    }, t('frameLabel.saved', { label: text }));

  return (
    <section class="card frame-label" aria-labelledby="frame-label-title" data-testid="frame-label">
      <h2 id="frame-label-title">{t('frameLabel.title')}</h2>
      {canLabel && (
        <>
          <p>{t('frameLabel.help')}</p>
          <div class="actions">
            {LABELS.map((l) => (
              <button type="button" class="secondary" disabled={busy} onClick={() => label(l.value, t(l.text))}>
                {t(l.text)}
              </button>
            ))}
          </div>
          <ActionNote note={note} />
        </>
      )}
      {model && (
        <p data-testid="fleet-model">
          {model.accuracy !== null
            ? t('frameLabel.model', { examples: model.examples, accuracy: `${Math.round(model.accuracy * 100)} %` })
            : t('frameLabel.modelNoAccuracy', { examples: model.examples, need: model.min_examples })}
        </p>
      )}
    </section>
  );
}
