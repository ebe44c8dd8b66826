/**
 * An admin's actions on one user of a fleet: change the role (owner ⇄ viewer, PATCH /api/v1/users/{id}) and remove
 * the user after a confirmation (DELETE). Removing ends the person's access; the server refuses removing oneself.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface AdminUserActionsProps {
  userId: string;
  email: string;
  role: 'owner' | 'viewer';
}

export default function AdminUserActions({ userId, email, role }: AdminUserActionsProps) {
  const { t } = useI18n();
  const [current, setCurrent] = useState(role);
  const [removed, setRemoved] = useState(false);
  const { busy, note, run } = useAction();
  const path = `/api/v1/users/${encodeURIComponent(userId)}`;

  const changeRole = (next: 'owner' | 'viewer') =>
    run(async () => {
      await api(path, { method: 'PATCH', body: { role: next } });
      setCurrent(next);
    }, t('adminFleets.saved'));
  const remove = () => {
    if (!confirm(t('adminFleets.removeConfirm', { email }))) return;
    return run(async () => {
      await api(path, { method: 'DELETE' });
      setRemoved(true);
    }, t('adminFleets.removed'));
  };

  const status = <ActionNote note={note} inline />;
  if (removed) return <span class="user-actions">{status}</span>;
  return (
    <span class="user-actions">
      <select aria-label={t('adminFleets.roleOf', { email })} value={current} disabled={busy} onChange={(e) => changeRole((e.currentTarget as HTMLSelectElement).value as 'owner' | 'viewer')}>
        <option value="owner" selected={current === 'owner'}>
          {t('role.owner')}
        </option>
        <option value="viewer" selected={current === 'viewer'}>
          {t('role.viewer')}
        </option>
      </select>
      <button type="button" class="secondary" disabled={busy} onClick={remove} aria-label={t('adminFleets.removeUser', { email })}>
        {t('adminFleets.remove')}
      </button>
      {status}
    </span>
  );
}
