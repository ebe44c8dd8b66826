/** A person's notification settings: the form as the server renders it, reading it back with what to fix, and saving. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import { INCIDENT_TYPES } from '../i18n/labels.ts';
import {
  DEFAULT_PREFERENCES,
  deviceName,
  readPreferencesForm,
  type NotificationPreferences,
} from './notification-preferences.ts';
import NotificationSettings, { savePreferences, testResultNote, type PushDevice } from './notification-settings.tsx';
import { I18nContext } from './use-i18n.ts';

const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const preferences: NotificationPreferences = {
  channels: {
    push: { enabled: true, severities: ['CRITICAL', 'HIGH'], types: null },
    email: { enabled: false, severities: ['CRITICAL'], types: ['ACCIDENT', 'SPEEDING'], digest: true },
  },
  quiet_hours: { enabled: true, start: '23:00', end: '06:30', allow_critical: true },
};
const devices: PushDevice[] = [
  {
    id: 'ps_1',
    endpoint: 'https://push.example/1',
    user_agent: ANDROID,
    created_at: '2026-06-01T08:00:00Z',
    last_used_at: '2026-06-02T07:00:00Z',
  },
];

const render = (lang: 'en' | 'es', props = { preferences, devices, types: INCIDENT_TYPES }) =>
  renderToString(
    <I18nContext.Provider value={i18nFor(lang, 'Europe/Madrid')}>
      <NotificationSettings {...props} />
    </I18nContext.Provider>,
  );

/** A form as the browser would submit it: ticked boxes present, the rest absent. */
function form(fields: Array<[string, string]>): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}
const valid: Array<[string, string]> = [
  ['push_enabled', 'on'],
  ['push_severity', 'CRITICAL'],
  ['push_severity', 'HIGH'],
  ['push_all_types', 'on'],
  ['email_severity', 'CRITICAL'],
  ['email_type', 'ACCIDENT'],
  ['email_digest', 'on'],
  ['quiet_enabled', 'on'],
  ['quiet_start', '22:00'],
  ['quiet_end', '07:00'],
  ['quiet_allow_critical', 'on'],
];

describe('notification settings', () => {
  it('renders the person’s choices in the page’s language, every control labelled', () => {
    const html = render('en');
    expect(html).toContain('<h2 id="notify-title">Notifications</h2>');
    expect(html).toMatch(/<input type="checkbox" id="push-enabled" name="push_enabled" checked\/?>/);
    expect(html).toMatch(/<input type="checkbox" id="email-enabled" name="email_enabled"\/?>/);
    expect(html).toMatch(/id="push-severity-HIGH" name="push_severity" value="HIGH" checked/);
    expect(html).not.toMatch(/id="push-severity-LOW"[^>]*checked/);
    // "All types" for push: each type ticked and disabled; email names its own types.
    expect(html).toMatch(/id="push-type-SMOKING" name="push_type" value="SMOKING" disabled checked/);
    expect(html).toMatch(/id="email-type-ACCIDENT" name="email_type" value="ACCIDENT" checked/);
    expect(html).toMatch(/id="email-type-SMOKING" name="email_type" value="SMOKING"\/?>/);
    expect(html).toMatch(/id="email-digest" name="email_digest" checked/);
    expect(html).toMatch(/id="quiet-start" name="quiet_start" type="time" value="23:00"/);
    expect(html).toContain('In the fleet’s timezone (Europe/Madrid).');
    expect(html).toContain('Possible accident');
    // Each checkbox sits inside its label, each text input has a label for it.
    for (const id of ['quiet-start', 'quiet-end']) expect(html).toContain(`<label for="${id}">`);
    expect(html.match(/<label class="toggle"><input type="checkbox"/g)!.length).toBe(
      2 * (1 + 4 + 1 + INCIDENT_TYPES.length) + 1 + 2,
    );
    // Devices: named from the user agent, dates in the fleet's timezone, remove buttons that say what they remove.
    expect(html).toContain('<strong>Chrome · Android</strong>');
    expect(html).toContain('Added 01/06/2026, 10:00:00 · last alert 02/06/2026, 09:00:00');
    expect(html).toContain('aria-label="Stop alerts to Chrome · Android"');
    expect(html).toContain('Send test notification');
    const es = render('es', { preferences: DEFAULT_PREFERENCES, devices: [], types: INCIDENT_TYPES });
    expect(es).toContain('Horas de silencio');
    expect(es).toContain('Ninguno todavía. Activa las alertas desde el teléfono que deba recibirlas.');
    expect(es).toContain('Frenada brusca');
  });

  it('reads a sensible form back into the API’s preferences', () => {
    const reading = readPreferencesForm(form(valid), i18nFor('en').t);
    expect(reading).toEqual({
      ok: true,
      value: {
        channels: {
          push: { enabled: true, severities: ['CRITICAL', 'HIGH'], types: null },
          email: { enabled: false, severities: ['CRITICAL'], types: ['ACCIDENT'], digest: true },
        },
        quiet_hours: { enabled: true, start: '22:00', end: '07:00', allow_critical: true },
      },
    });
  });

  it('says what to fix, in the reader’s language, and which field to focus', () => {
    const without = (name: string) => valid.filter(([n]) => n !== name);
    const en = i18nFor('en').t;
    expect(readPreferencesForm(form(without('push_severity')), en)).toEqual({
      ok: false,
      message: 'Push to your phones: pick at least one severity, or turn the channel off.',
      field: 'push-severity-CRITICAL',
    });
    expect(readPreferencesForm(form(without('push_severity')), i18nFor('es').t)).toMatchObject({
      ok: false,
      message: 'Push a tus teléfonos: elige al menos una gravedad, o desactiva el canal.',
    });
    expect(readPreferencesForm(form(without('push_all_types')), en)).toEqual({
      ok: false,
      message: 'Push to your phones: pick at least one type, or “All types”.',
      field: 'push-all-types',
    });
    const badStart = valid.map(([n, v]): [string, string] => [n, n === 'quiet_start' ? '25:00' : v]);
    expect(readPreferencesForm(form(badStart), en)).toEqual({
      ok: false,
      message: 'Quiet hours: write times as HH:MM, for example 22:00.',
      field: 'quiet-start',
    });
    const same = valid.map(([n, v]): [string, string] => [n, n === 'quiet_end' ? '22:00' : v]);
    expect(readPreferencesForm(form(same), en)).toEqual({
      ok: false,
      message: 'Quiet hours: the start and the end must differ.',
      field: 'quiet-end',
    });
    // A channel that is off may be left without choices; quiet hours that are off keep valid times.
    const off = readPreferencesForm(
      form([
        ['push_all_types', 'on'],
        ['quiet_start', ''],
      ]),
      en,
    );
    expect(off).toMatchObject({
      ok: true,
      value: {
        channels: { push: { enabled: false, severities: [] }, email: { enabled: false, types: [] } },
        quiet_hours: { enabled: false, start: '22:00', end: '07:00' },
      },
    });
  });

  it('saves with PUT only what reads well, and passes the server’s refusal on', async () => {
    const calls: Array<{ path: string; init?: { method?: string; body?: unknown } }> = [];
    const call = async <T,>(path: string, init?: { method?: string; body?: unknown }) => {
      calls.push({ path, init });
      return undefined as T;
    };
    const t = i18nFor('en').t;
    expect((await savePreferences(form(valid), t, call)).ok).toBe(true);
    expect(calls).toEqual([
      {
        path: '/api/v1/notifications/preferences',
        init: { method: 'PUT', body: (readPreferencesForm(form(valid), t) as { value: unknown }).value },
      },
    ]);
    expect((await savePreferences(form(valid.filter(([n]) => n !== 'push_severity')), t, call)).ok).toBe(false);
    expect(calls).toHaveLength(1);
    const refusing = async () => {
      throw new Error('quiet_hours.start: expected HH:MM');
    };
    await expect(savePreferences(form(valid), t, refusing)).rejects.toThrow('quiet_hours.start: expected HH:MM');
  });

  it('reports a test notification by how many phones it reached', () => {
    const t = i18nFor('en').t;
    expect(testResultNote({ sent: 2, failed: 0 }, t)).toEqual({
      text: 'Sent to 2 of 2 phones and browsers.',
      error: false,
    });
    expect(testResultNote({ sent: 1, failed: 1 }, t)).toEqual({
      text: 'Sent to 1 of 2 phones and browsers.',
      error: true,
    });
    expect(testResultNote({ sent: 0, failed: 0 }, t)).toEqual({
      text: 'No phone or browser gets alerts yet.',
      error: true,
    });
  });

  it('names devices from their user agent', () => {
    expect(deviceName(ANDROID)).toBe('Chrome · Android');
    expect(deviceName(IPHONE)).toBe('Safari · iOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox · Windows',
    );
    expect(deviceName(null)).toBeNull();
    expect(deviceName('curl/8')).toBeNull();
  });
});
