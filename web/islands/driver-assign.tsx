/**
 * Who drives this taxi, changeable by the owner: a select of the fleet's drivers that assigns on change
 * (PUT /api/v1/vehicles/{id}/driver). Assigning a driver who drives another taxi moves them; the server ends the
 * old assignment. An expired licence is allowed but said out loud.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { useI18n } from './use-i18n.ts';

export interface DriverAssignProps {
  vehicleId: string;
  plate: string;
  currentDriverId: string | null;
  drivers: Array<{ id: string; name: string }>;
}

export default function DriverAssign({ vehicleId, plate, currentDriverId, drivers }: DriverAssignProps) {
  const { t } = useI18n();
  const [selected, setSelected] = useState(currentDriverId ?? '');
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const assign = async (driverId: string) => {
    const previous = selected;
    setSelected(driverId);
    setBusy(true);
    setNote(null);
    try {
      const answer = await api<{ warnings: string[] }>(`/api/v1/vehicles/${encodeURIComponent(vehicleId)}/driver`, { method: 'PUT', body: { driver_id: driverId || null } });
      setNote({ text: t(answer.warnings.includes('licence_expired') ? 'driverAssign.licenceExpired' : 'driverAssign.saved'), error: false });
    } catch (e) {
      setSelected(previous);
      setNote({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <span class="driver-assign">
      <select aria-label={t('driverAssign.label', { plate })} value={selected} disabled={busy} onChange={(e) => assign((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('driverAssign.none')}</option>
        {drivers.map((d) => (
          <option key={d.id} value={d.id} selected={d.id === selected}>
            {d.name}
          </option>
        ))}
      </select>
      {note && (
        <span role={note.error ? 'alert' : 'status'} class={note.error ? 'error' : 'hint'}>
          {note.text}
        </span>
      )}
    </span>
  );
}
