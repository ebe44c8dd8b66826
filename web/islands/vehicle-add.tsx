/** Adds a taxi to the owner's fleet by its plate (POST /api/v1/vehicles); devices are then provisioned on /devices. */
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export default function VehicleAdd() {
  const { t } = useI18n();
  const { busy, note, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const plate = String(new FormData(event.currentTarget as HTMLFormElement).get('plate') ?? '').trim();
    return run(async () => {
      await api('/api/v1/vehicles', { method: 'POST', body: { plate } });
      location.reload(); // the list is server-rendered
    }, null);
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="vehicle-add-title">
      <h2 id="vehicle-add-title">{t('vehicles.add')}</h2>
      <label for="vehicle-plate">{t('vehicle.plate')}</label>
      <input id="vehicle-plate" name="plate" required maxLength={20} autoComplete="off" />
      <button type="submit" disabled={busy}>
        {t('vehicles.add')}
      </button>
      <ActionNote note={note} />
    </form>
  );
}
