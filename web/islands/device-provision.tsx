/** Provisions a device for one of the fleet's taxis (POST /api/v1/devices) and shows its key once, with QR codes. */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { CAMERA_ROLE_OPTIONS } from './camera-roles.ts';
import { DeviceKeyCard } from './device-key-card.tsx';
import { useI18n } from './use-i18n.ts';

export interface DeviceProvisionProps {
  vehicles: Array<{ id: string; plate: string }>;
  /** The server as devices reach it (PUBLIC_URL, else the address this page was opened at). */
  serverUrl: string;
}

export default function DeviceProvision({ vehicles, serverUrl }: DeviceProvisionProps) {
  const { t } = useI18n();
  const [created, setCreated] = useState<{ name: string; key: string; camera_role: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const name = String(form.get('name') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const body = { vehicle_id: String(form.get('vehicle_id')), camera_role: String(form.get('camera_role')), ...(name ? { name } : {}) };
      const device = await api<{ name: string; key: string; camera_role: string }>('/api/v1/devices', { method: 'POST', body });
      setCreated({ name: device.name, key: device.key, camera_role: device.camera_role });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (created) return <DeviceKeyCard title={created.name} deviceKey={created.key} serverUrl={serverUrl} cameraRole={created.camera_role} onDone={() => location.reload()} />;
  return (
    <form class="card provision" onSubmit={submit} aria-labelledby="provision-title">
      <h2 id="provision-title">{t('devices.provision')}</h2>
      <label for="provision-vehicle">{t('devices.vehicle')}</label>
      <select id="provision-vehicle" name="vehicle_id" required>
        {vehicles.map((v) => (
          <option value={v.id}>{v.plate}</option>
        ))}
      </select>
      <label for="provision-name">{t('devices.name')}</label>
      <input id="provision-name" name="name" maxLength={100} autoComplete="off" />
      <label for="provision-role">{t('cameraRole.label')}</label>
      <select id="provision-role" name="camera_role" aria-describedby="provision-role-help">
        {CAMERA_ROLE_OPTIONS.map((role) => (
          <option value={role}>{t(`cameraRole.${role}`)}</option>
        ))}
      </select>
      <small id="provision-role-help">{t('cameraRole.help')}</small>
      <button type="submit" disabled={busy || vehicles.length === 0}>
        {t('devices.create')}
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
