/**
 * Which way a device's camera looks, changeable by the owner: a select that saves on change
 * (PATCH /api/v1/devices/{id}). A new role makes the camera learn its picture again.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { CAMERA_ROLE_OPTIONS, type CameraRoleOption } from './camera-roles.ts';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface CameraRoleSelectProps {
  id: string;
  name: string;
  role: CameraRoleOption;
}

export default function CameraRoleSelect({ id, name, role: initialRole }: CameraRoleSelectProps) {
  const { t } = useI18n();
  const [role, setRole] = useState(initialRole);
  const { busy, note, run } = useAction();

  const change = (next: CameraRoleOption) => {
    const previous = role;
    setRole(next);
    return run(async () => {
      try {
        await api(`/api/v1/devices/${encodeURIComponent(id)}`, { method: 'PATCH', body: { camera_role: next } });
      } catch (error) {
        setRole(previous);
        throw error;
      }
    }, t('cameraRole.saved'));
  };

  return (
    <span class="camera-role">
      <select aria-label={t('cameraRole.changeFor', { name })} value={role} disabled={busy} onChange={(e) => change((e.currentTarget as HTMLSelectElement).value as CameraRoleOption)}>
        {CAMERA_ROLE_OPTIONS.map((option) => (
          <option key={option} value={option} selected={option === role}>
            {t(`cameraRole.${option}`)}
          </option>
        ))}
      </select>
      <ActionNote note={note} inline />
    </span>
  );
}
