/** Admin forms: create a fleet (POST /api/v1/fleets) and add a user with a role to a fleet (POST /api/v1/users). */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { TimezoneSelect } from './timezone-select.tsx';
import { useI18n } from './use-i18n.ts';

export interface AdminFleetFormsProps {
  fleets: Array<{ id: string; name: string }>;
  /** The IANA timezones a new fleet can have (timeZoneChoices on the server). */
  zones: string[];
}

function useSubmit(send: (form: FormData) => Promise<unknown>) {
  const { t } = useI18n();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setMessage(null);
    try {
      await send(new FormData(formElement));
      setMessage({ ok: true, text: t('adminFleets.created') });
      // The lists on this page are server-rendered: show the new row.
      setTimeout(() => location.reload(), 600);
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  const status = message && (
    <p role={message.ok ? 'status' : 'alert'} class={message.ok ? 'done' : 'error'}>
      {message.text}
    </p>
  );
  return { onSubmit, busy, status };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export default function AdminFleetForms({ fleets, zones }: AdminFleetFormsProps) {
  const { t } = useI18n();
  const fleet = useSubmit((form) => {
    const limit = text(form, 'speed_limit_kmh');
    return api('/api/v1/fleets', { method: 'POST', body: { name: text(form, 'name'), timezone: text(form, 'timezone') || undefined, locale: text(form, 'locale') || undefined, ...(limit ? { speed_limit_kmh: Number(limit) } : {}) } });
  });
  const user = useSubmit((form) =>
    api('/api/v1/users', { method: 'POST', body: { fleet_id: text(form, 'fleet_id'), email: text(form, 'email'), password: String(form.get('password') ?? ''), role: text(form, 'role'), ...(text(form, 'name') ? { name: text(form, 'name') } : {}) } }),
  );
  return (
    <div class="admin-forms">
      <form class="card" onSubmit={fleet.onSubmit} aria-labelledby="new-fleet-title">
        <h2 id="new-fleet-title">{t('adminFleets.create')}</h2>
        <label for="fleet-name">{t('adminFleets.name')}</label>
        <input id="fleet-name" name="name" required maxLength={200} />
        <label for="fleet-timezone">{t('adminFleets.timezone')}</label>
        <TimezoneSelect id="fleet-timezone" name="timezone" value="UTC" zones={zones} />
        <label for="fleet-locale">{t('adminFleets.locale')}</label>
        <select id="fleet-locale" name="locale">
          <option value="es">Español</option>
          <option value="en">English</option>
        </select>
        <label for="fleet-speed">{t('adminFleets.speedLimit')}</label>
        <input id="fleet-speed" name="speed_limit_kmh" type="number" min={10} max={250} inputMode="numeric" />
        <button type="submit" disabled={fleet.busy}>
          {t('adminFleets.create')}
        </button>
        {fleet.status}
      </form>
      <form class="card" onSubmit={user.onSubmit} aria-labelledby="new-user-title">
        <h2 id="new-user-title">{t('adminFleets.createUser')}</h2>
        <label for="user-fleet">{t('adminFleets.fleet')}</label>
        <select id="user-fleet" name="fleet_id" required>
          {fleets.map((f) => (
            <option value={f.id}>{f.name}</option>
          ))}
        </select>
        <label for="user-email">{t('adminFleets.email')}</label>
        <input id="user-email" name="email" type="email" required autoComplete="off" />
        <label for="user-name">{t('adminFleets.userName')}</label>
        <input id="user-name" name="name" maxLength={200} />
        <label for="user-password">{t('adminFleets.password')}</label>
        <input id="user-password" name="password" type="password" required minLength={8} autoComplete="new-password" />
        <label for="user-role">{t('adminFleets.role')}</label>
        <select id="user-role" name="role">
          <option value="owner">{t('role.owner')}</option>
          <option value="viewer">{t('role.viewer')}</option>
        </select>
        <button type="submit" disabled={user.busy || fleets.length === 0}>
          {t('adminFleets.createUser')}
        </button>
        {user.status}
      </form>
    </div>
  );
}
