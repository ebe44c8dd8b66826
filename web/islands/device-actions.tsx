/**
 * A device's key actions, each after a confirmation: a new key (the old one keeps working for the grace period;
 * the new one is shown once, with its QR codes) or revocation (refused at once, for good).
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { DeviceKeyCard } from './device-key-card.tsx';
import { useI18n } from './use-i18n.ts';

export interface DeviceActionsProps {
  id: string;
  name: string;
  status: string;
  serverUrl: string;
  cameraRole: string;
}

export default function DeviceActions({ id, name, status: initialStatus, serverUrl, cameraRole }: DeviceActionsProps) {
  const { t } = useI18n();
  const [status, setStatus] = useState(initialStatus);
  const [newKey, setNewKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: 'rotate' | 'revoke') => {
    if (!confirm(t(action === 'rotate' ? 'devices.confirmRotate' : 'devices.confirmRevoke', { name }))) return;
    setBusy(true);
    setError(null);
    try {
      const device = await api<{ status: string; key?: string }>(`/api/v1/devices/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
      setStatus(device.status);
      if (device.key) setNewKey(device.key);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (newKey) return <DeviceKeyCard title={t('devices.newKeyFor', { name })} deviceKey={newKey} serverUrl={serverUrl} cameraRole={cameraRole} onDone={() => location.reload()} />;
  if (status === 'revoked') return <span class="pill device-revoked">{t('devices.revoked')}</span>;
  return (
    <span class="actions device-actions">
      <button type="button" class="secondary" disabled={busy} onClick={() => act('rotate')} aria-label={`${t('devices.rotate')}: ${name}`}>
        {t('devices.rotate')}
      </button>
      <button type="button" class="danger" disabled={busy} onClick={() => act('revoke')} aria-label={`${t('devices.revoke')}: ${name}`}>
        {t('devices.revoke')}
      </button>
      {error && (
        <span role="alert" class="error">
          {error}
        </span>
      )}
    </span>
  );
}
