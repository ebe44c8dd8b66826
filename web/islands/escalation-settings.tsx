/**
 * The owner's escalation settings (PATCH /api/v1/fleets/{id} with `notifications`): after how many minutes an
 * unacknowledged critical alert escalates, and to whom, in order — chosen from the fleet's people. Saved on its own,
 * so it never sends the fleet form's other fields.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface EscalationPerson {
  id: string;
  email: string;
  name: string | null;
}

export interface EscalationSettingsProps {
  fleetId: string;
  escalateAfterMinutes: number | null;
  /** User ids, first asked first. */
  escalationList: string[];
  people: EscalationPerson[];
}

export const MAX_ESCALATION_MINUTES = 1440;

/** "" → null (never escalate); a whole number of minutes from 1 to a day; NaN for anything else. */
export function parseEscalationMinutes(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return NaN;
  const minutes = Number(trimmed);
  return minutes >= 1 && minutes <= MAX_ESCALATION_MINUTES ? minutes : NaN;
}

/** The list with the entry at `index` moved by `delta` places (unchanged at either end). */
export function moveEntry<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

export default function EscalationSettings({
  fleetId,
  escalateAfterMinutes,
  escalationList,
  people,
}: EscalationSettingsProps) {
  const { t } = useI18n();
  // People removed from the fleet since drop out: the list offers only those who can still be reached.
  const [list, setList] = useState(escalationList.filter((id) => people.some((p) => p.id === id)));
  const [adding, setAdding] = useState('');
  const { busy, note, run } = useAction();
  const nameOf = (id: string) => {
    const person = people.find((p) => p.id === id);
    return person ? (person.name ? `${person.name} (${person.email})` : person.email) : id;
  };
  const addable = people.filter((p) => !list.includes(p.id));

  const add = () => {
    const id = adding || addable[0]?.id;
    if (id && !list.includes(id)) setList([...list, id]);
    setAdding('');
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const minutes = parseEscalationMinutes(String(new FormData(form).get('escalate_after_minutes') ?? ''));
    if (Number.isNaN(minutes)) {
      form.querySelector<HTMLInputElement>('#escalation-minutes')?.focus();
      return run(async () => {
        throw new Error(t('escalation.badMinutes'));
      }, null);
    }
    return run(async () => {
      await api(`/api/v1/fleets/${encodeURIComponent(fleetId)}`, {
        method: 'PATCH',
        body: { notifications: { escalate_after_minutes: minutes, escalation_list: list } },
      });
    }, t('escalation.saved'));
  };

  return (
    <form
      class="card escalation-settings"
      onSubmit={submit}
      aria-labelledby="escalation-title"
      data-testid="escalation-settings"
      noValidate
    >
      <h2 id="escalation-title">{t('escalation.title')}</h2>
      <p class="muted">{t('escalation.intro')}</p>
      <label for="escalation-minutes">{t('escalation.minutes')}</label>
      <input
        id="escalation-minutes"
        name="escalate_after_minutes"
        type="text"
        inputMode="numeric"
        pattern="\d*"
        aria-describedby="escalation-minutes-hint"
        defaultValue={escalateAfterMinutes === null ? '' : String(escalateAfterMinutes)}
      />
      <p class="hint" id="escalation-minutes-hint">
        {t('escalation.off')}
      </p>
      <h3>{t('escalation.list')}</h3>
      {list.length === 0 ? (
        <p class="muted">{t('escalation.empty')}</p>
      ) : (
        <ol class="escalation-list" data-testid="escalation-list">
          {list.map((id, index) => {
            const name = nameOf(id);
            return (
              <li data-user-id={id}>
                <span>{name}</span>
                <span class="actions">
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t('escalation.up', { name })}
                    disabled={index === 0}
                    onClick={() => setList(moveEntry(list, index, -1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t('escalation.down', { name })}
                    disabled={index === list.length - 1}
                    onClick={() => setList(moveEntry(list, index, 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t('escalation.remove', { name })}
                    onClick={() => setList(list.filter((other) => other !== id))}
                  >
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {addable.length > 0 && (
        <div class="escalation-add">
          <label for="escalation-add">{t('escalation.add')}</label>
          <div class="actions">
            <select
              id="escalation-add"
              value={adding || addable[0].id}
              onChange={(e) => setAdding((e.currentTarget as HTMLSelectElement).value)}
            >
              {addable.map((p) => (
                <option value={p.id}>{p.name ? `${p.name} (${p.email})` : p.email}</option>
              ))}
            </select>
            <button type="button" class="secondary" onClick={add}>
              {t('escalation.addButton')}
            </button>
          </div>
        </div>
      )}
      <button type="submit" disabled={busy}>
        {t('escalation.save')}
      </button>
      <ActionNote note={note} />
    </form>
  );
}
