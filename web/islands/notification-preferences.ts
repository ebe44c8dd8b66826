/**
 * A person's notification preferences as GET/PUT /api/v1/notifications/preferences carry them, and reading them back
 * from the settings form with messages that say what to fix (the server validates again; this catches the usual
 * slips before a round trip).
 */
import type { I18n } from '../i18n/i18n.ts';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const CHANNELS = ['push', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ChannelPreferences {
  enabled: boolean;
  severities: string[];
  /** null: every type, including ones added later. */
  types: string[] | null;
  digest?: boolean;
}

export interface NotificationPreferences {
  channels: { push: ChannelPreferences; email: ChannelPreferences & { digest: boolean } };
  quiet_hours: { enabled: boolean; start: string; end: string; allow_critical: boolean };
}

/** The defaults (CRITICAL and HIGH by push, CRITICAL also by email): what the form shows before the first save. */
export const DEFAULT_PREFERENCES: NotificationPreferences = {
  channels: {
    push: { enabled: true, severities: ['CRITICAL', 'HIGH'], types: null },
    email: { enabled: true, severities: ['CRITICAL'], types: null, digest: false },
  },
  quiet_hours: { enabled: false, start: '22:00', end: '07:00', allow_critical: true },
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export type FormReading = { ok: true; value: NotificationPreferences } | { ok: false; message: string; field: string };

/**
 * The form's fields: `<channel>_enabled`, `<channel>_severity` (one per ticked box), `<channel>_all_types`,
 * `<channel>_type`, `email_digest`, `quiet_enabled`, `quiet_start`, `quiet_end`, `quiet_allow_critical`.
 * Checkboxes are present when ticked; a disabled box is absent (types while "All types" is ticked).
 */
export function readPreferencesForm(form: FormData, t: I18n['t']): FormReading {
  const ticked = (name: string) => form.get(name) !== null;
  const channel = (name: Channel): ChannelPreferences | { error: string; field: string } => {
    const enabled = ticked(`${name}_enabled`);
    const severities = SEVERITIES.filter((s) => form.getAll(`${name}_severity`).includes(s));
    const types = ticked(`${name}_all_types`) ? null : form.getAll(`${name}_type`).map(String);
    const label = t(name === 'push' ? 'notify.push' : 'notify.email');
    // A channel that is off keeps its choices for when it is turned back on; only one that is on must make sense.
    if (enabled && severities.length === 0)
      return { error: t('notify.needSeverity', { channel: label }), field: `${name}-severity-CRITICAL` };
    if (enabled && types !== null && types.length === 0)
      return { error: t('notify.needType', { channel: label }), field: `${name}-all-types` };
    return { enabled, severities, types };
  };
  const push = channel('push');
  if ('error' in push) return { ok: false, message: push.error, field: push.field };
  const email = channel('email');
  if ('error' in email) return { ok: false, message: email.error, field: email.field };
  const start = String(form.get('quiet_start') ?? '').trim();
  const end = String(form.get('quiet_end') ?? '').trim();
  const quiet = ticked('quiet_enabled');
  if (quiet && !HH_MM.test(start)) return { ok: false, message: t('notify.badTime'), field: 'quiet-start' };
  if (quiet && !HH_MM.test(end)) return { ok: false, message: t('notify.badTime'), field: 'quiet-end' };
  if (quiet && start === end) return { ok: false, message: t('notify.sameTimes'), field: 'quiet-end' };
  return {
    ok: true,
    value: {
      channels: { push, email: { ...email, digest: ticked('email_digest') } },
      // Times the person cleared while quiet hours are off fall back to the usual night, so the server stores valid ones.
      quiet_hours: {
        enabled: quiet,
        start: HH_MM.test(start) ? start : '22:00',
        end: HH_MM.test(end) ? end : '07:00',
        allow_critical: ticked('quiet_allow_critical'),
      },
    },
  };
}

/** "Chrome on Android" from a user agent: enough to tell one's phones apart in the list. */
export function deviceName(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /SamsungBrowser/.test(userAgent)
      ? 'Samsung Internet'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrome\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (!browser && !system) return null;
  return [browser, system].filter(Boolean).join(' · ');
}
