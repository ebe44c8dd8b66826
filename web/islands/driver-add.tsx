/** Adds a driver to the owner's fleet (POST /api/v1/drivers): name, licence number and the licence's expiry date. */
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export default function DriverAdd() {
  const { t } = useI18n();
  const { busy, note, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    return run(async () => {
      await api('/api/v1/drivers', { method: 'POST', body: { name: text('name'), licence_expires_on: text('licence_expires_on'), ...(text('licence_number') ? { licence_number: text('licence_number') } : {}) } });
      // The list is server-rendered: show the new row with its badge.
      location.reload();
    }, null);
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="driver-add-title">
      <h2 id="driver-add-title">{t('drivers.add')}</h2>
      <label for="driver-name">{t('drivers.name')}</label>
      <input id="driver-name" name="name" required maxLength={200} autoComplete="off" />
      <label for="driver-licence-number">{t('drivers.licence')}</label>
      <input id="driver-licence-number" name="licence_number" maxLength={50} autoComplete="off" />
      <label for="driver-licence-expires">{t('drivers.expires')}</label>
      <input id="driver-licence-expires" name="licence_expires_on" type="date" required />
      <button type="submit" disabled={busy}>
        {t('drivers.add')}
      </button>
      <ActionNote note={note} />
    </form>
  );
}
