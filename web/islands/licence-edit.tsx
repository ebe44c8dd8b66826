/**
 * A driver's licence expiry, editable by the owner (PATCH /api/v1/drivers/{id}): a renewed date changes the badge at
 * once (the server's answer carries the new status) and starts the licence alerts afresh.
 */
import { useState } from 'preact/hooks';
import type { LicenceStatus } from '../../edge/domain/licence-status.ts';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface LicenceEditProps {
  driverId: string;
  driverName: string;
  expiresOn: string;
  status: LicenceStatus;
}

export default function LicenceEdit({ driverId, driverName, expiresOn, status: initialStatus }: LicenceEditProps) {
  const { t } = useI18n();
  const [saved, setSaved] = useState(expiresOn);
  const [status, setStatus] = useState(initialStatus);
  const [value, setValue] = useState(expiresOn);
  const { busy, note, run } = useAction();

  const save = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      const driver = await api<{ licence_expires_on: string; licence_status: LicenceStatus }>(`/api/v1/drivers/${encodeURIComponent(driverId)}`, { method: 'PATCH', body: { licence_expires_on: value } });
      setSaved(driver.licence_expires_on);
      setStatus(driver.licence_status);
    }, t('driverAssign.saved'));
  };

  return (
    <form class="licence-edit" onSubmit={save}>
      <input type="date" required value={value} aria-label={t('drivers.expiresOf', { name: driverName })} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="secondary" disabled={busy || value === saved}>
        {t('drivers.save')}
      </button>
      <span class={`pill licence-${status}`}>{t(`licence.${status}`)}</span>
      <ActionNote note={note} inline />
    </form>
  );
}
