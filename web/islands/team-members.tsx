/**
 * The fleet's people, as the owner manages them: everyone with their role, viewers removable (after a confirmation),
 * and a form to add a viewer — someone who follows the map, alerts and incidents but changes nothing (a dispatcher).
 * Owners are added by a platform admin (the API refuses owners adding owners).
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface TeamMember {
  id: string;
  email: string;
  name: string | null;
  role: string;
}

export interface TeamMembersProps {
  members: TeamMember[];
  currentUserId: string | null;
}

export default function TeamMembers({ members: initial, currentUserId }: TeamMembersProps) {
  const { t } = useI18n();
  const [members, setMembers] = useState(initial);
  const { busy, note, run } = useAction();

  const add = (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    return run(async () => {
      const user = await api<TeamMember>('/api/v1/users', { method: 'POST', body: { email: text('email'), password: String(form.get('password') ?? ''), role: 'viewer', ...(text('name') ? { name: text('name') } : {}) } });
      setMembers((list) => [...list, user]);
      formElement.reset();
    }, t('adminFleets.created'));
  };

  const remove = (member: TeamMember) => {
    if (!confirm(t('adminFleets.removeConfirm', { email: member.email }))) return;
    return run(async () => {
      await api(`/api/v1/users/${encodeURIComponent(member.id)}`, { method: 'DELETE' });
      setMembers((list) => list.filter((m) => m.id !== member.id));
    }, t('adminFleets.removed'));
  };

  return (
    <section class="card" aria-labelledby="team-title">
      <h2 id="team-title">{t('settings.team')}</h2>
      <ul class="plain team-list" data-testid="team-list">
        {members.map((member) => (
          <li key={member.id} data-user-id={member.id}>
            {member.name ? `${member.name} · ` : ''}
            {member.email} <span class="pill">{t(member.role === 'owner' ? 'role.owner' : 'role.viewer')}</span>
            {member.role === 'viewer' && member.id !== currentUserId && (
              <button type="button" class="secondary" disabled={busy} onClick={() => remove(member)} aria-label={t('adminFleets.removeUser', { email: member.email })}>
                {t('adminFleets.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-labelledby="team-add-title">
        <h3 id="team-add-title">{t('settings.addViewer')}</h3>
        <p class="muted">{t('settings.viewerHint')}</p>
        <label for="team-email">{t('adminFleets.email')}</label>
        <input id="team-email" name="email" type="email" required autoComplete="off" />
        <label for="team-name">{t('adminFleets.userName')}</label>
        <input id="team-name" name="name" maxLength={200} autoComplete="off" />
        <label for="team-password">{t('adminFleets.password')}</label>
        <input id="team-password" name="password" type="password" required minLength={8} autoComplete="new-password" />
        <button type="submit" disabled={busy}>
          {t('settings.addViewer')}
        </button>
      </form>
      <ActionNote note={note} />
    </section>
  );
}
