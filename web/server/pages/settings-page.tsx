/**
 * /settings: the fleet's settings. Owners edit them (an island over PATCH /api/v1/fleets/{id}) and manage the fleet's
 * viewers; viewers read the settings; platform admins, who belong to no fleet, are pointed to the admin console.
 * Everyone sees their own second factor, and can make new recovery codes there.
 */
import FleetSettings, { THRESHOLDS, type FleetSettingsProps } from '../../islands/fleet-settings.tsx';
import MfaSettings from '../../islands/mfa-settings.tsx';
import TeamMembers, { type TeamMember } from '../../islands/team-members.tsx';
import { timeZoneChoices } from '../../islands/timezone-select.tsx';
import { Island } from '../island.tsx';
import type { PageHandler } from '../register-web.ts';
import { EscalationSection, notificationSettings, type FleetNotifications } from './notification-sections.tsx';

type Fleet = FleetSettingsProps['fleet'] & { notifications?: FleetNotifications };

export const settingsPage: PageHandler = async (_c, ctx) => {
  const { t, number } = ctx.i18n;
  const fleetId = ctx.principal?.fleetId;
  const [secondFactor, notifications] = await Promise.all([mfaSettings(ctx), notificationSettings(ctx)]);
  if (!fleetId) {
    return {
      title: t('settings.title'),
      body: (
        <>
          <section class="card">
            <h1>{t('settings.title')}</h1>
            <p>
              {t('settings.adminHint')} <a href="/admin/fleets">{t('nav.adminFleets')}</a>
            </p>
          </section>
          {notifications}
          {secondFactor}
        </>
      ),
    };
  }
  const editable = ctx.principal?.role === 'owner' && !ctx.principal.apiKey;
  const [fleet, people] = await Promise.all([
    ctx.api<Fleet>(`/api/v1/fleets/${encodeURIComponent(fleetId)}`),
    editable ? ctx.api<{ data: TeamMember[] }>('/api/v1/users?limit=200') : Promise.resolve({ data: [] }),
  ]);
  return {
    title: t('settings.title'),
    body: (
      <>
        <h1>{t('settings.title')}</h1>
        {editable ? (
          <>
            <Island name="fleet-settings" component={FleetSettings} props={{ fleet: { id: fleet.id, name: fleet.name, timezone: fleet.timezone, locale: fleet.locale, speed_limit_kmh: fleet.speed_limit_kmh, telemetry: fleet.telemetry, retention: fleet.retention, drivers_see_own_score: fleet.drivers_see_own_score }, zones: timeZoneChoices(fleet.timezone) }} />
            <EscalationSection fleetId={fleet.id} notifications={fleet.notifications} people={people.data} />
            <Island name="team-members" component={TeamMembers} props={{ members: people.data.map(({ id, email, name, role }) => ({ id, email, name, role })), currentUserId: ctx.principal?.userId ?? null }} />
          </>
        ) : (
          <section class="card">
            <dl class="facts">
              <dt>{t('adminFleets.name')}</dt>
              <dd>{fleet.name}</dd>
              <dt>{t('adminFleets.timezone')}</dt>
              <dd>{fleet.timezone}</dd>
              <dt>{t('settings.language')}</dt>
              <dd>{fleet.locale === 'en' ? 'English' : 'Español'}</dd>
              <dt>{t('adminFleets.speedLimit')}</dt>
              <dd>{number(fleet.speed_limit_kmh)}</dd>
              {THRESHOLDS.map(({ key, label, step }) => (
                <>
                  <dt>{t(label)}</dt>
                  <dd>{number(fleet.telemetry[key], step < 1 ? 1 : 0)}</dd>
                </>
              ))}
            </dl>
          </section>
        )}
        {notifications}
        {secondFactor}
      </>
    ),
  };
};

/** The signed-in person's own second factor (people only: an API key has none). */
async function mfaSettings(ctx: Parameters<PageHandler>[1]) {
  if (!ctx.principal?.userId || ctx.principal.apiKey) return null;
  const status = await ctx.api<{ enabled: boolean; recovery_codes_left: number }>('/api/v1/auth/mfa');
  return <Island name="mfa-settings" component={MfaSettings} props={{ enabled: status.enabled, recoveryCodesLeft: status.recovery_codes_left }} />;
}
