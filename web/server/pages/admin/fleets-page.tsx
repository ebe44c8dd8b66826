/** /admin/fleets: every fleet with its people (role and removal per user), and the forms to create a fleet and add a user. */
import AdminFleetForms from '../../../islands/admin-fleet-forms.tsx';
import { timeZoneChoices } from '../../../islands/timezone-select.tsx';
import AdminUserActions from '../../../islands/admin-user-actions.tsx';
import type { MessageKey } from '../../../i18n/messages-en.ts';
import { Island } from '../../island.tsx';
import type { PageContext } from '../../page-context.ts';
import { adminOnly } from './admin-only.tsx';

interface ApiFleet {
  id: string;
  name: string;
  timezone: string;
  locale: string;
  speed_limit_kmh: number;
}
interface ApiUser {
  id: string;
  fleet_id: string | null;
  email: string;
  name: string | null;
  role: string;
  mfa_enabled: boolean;
}

async function everything<T>(ctx: PageContext, path: string, max = 5000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: T[]; next_cursor: string | null } = await ctx.api(`${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

export const adminFleetsPage = adminOnly(async (_c, ctx) => {
  const { t } = ctx.i18n;
  const [fleets, users] = await Promise.all([everything<ApiFleet>(ctx, '/api/v1/fleets'), everything<ApiUser>(ctx, '/api/v1/users')]);
  const byFleet = new Map<string, ApiUser[]>();
  for (const user of users) if (user.fleet_id) byFleet.set(user.fleet_id, [...(byFleet.get(user.fleet_id) ?? []), user]);
  return {
    title: t('adminFleets.title'),
    body: (
      <>
        <h1>{t('adminFleets.title')}</h1>
        <Island name="admin-fleet-forms" component={AdminFleetForms} props={{ fleets: fleets.map((f) => ({ id: f.id, name: f.name })), zones: timeZoneChoices() }} />
        {fleets.length === 0 && <p>{t('list.empty')}</p>}
        <ul class="plain fleet-list" data-testid="fleet-list">
          {fleets.map((fleet) => {
            const people = byFleet.get(fleet.id) ?? [];
            return (
              <li class="card" data-fleet-id={fleet.id}>
                <h2>{fleet.name}</h2>
                <p class="muted">
                  {fleet.timezone} · {fleet.locale} · {fleet.speed_limit_kmh} km/h
                </p>
                <h3>{t('adminFleets.users')}</h3>
                {people.length === 0 ? (
                  <p>{t('adminFleets.noUsers')}</p>
                ) : (
                  <ul class="plain">
                    {people.map((u) => (
                      <li data-user-id={u.id}>
                        {u.name ? `${u.name} · ` : ''}
                        {u.email}{' '}
                        {u.role === 'owner' || u.role === 'viewer' ? (
                          <Island name="admin-user-actions" component={AdminUserActions} props={{ userId: u.id, email: u.email, role: u.role as 'owner' | 'viewer' }} />
                        ) : (
                          <span class="pill">{t(`role.${u.role}` as MessageKey)}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      </>
    ),
  };
});
