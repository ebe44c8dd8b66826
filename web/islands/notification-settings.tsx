/**
 * The signed-in person's own notifications on the settings page: which channels, severities and types reach them,
 * a daily email digest, quiet hours (in the fleet's timezone, critical alerts optionally let through), the phones
 * and browsers that get pushes (this one marked, any removable), and a test notification to check it all works.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import {
  browserPushEnvironment,
  currentEndpoint,
  unsubscribeThisPhone,
  type ApiCall,
} from '../client/push-subscription.ts';
import type { I18n } from '../i18n/i18n.ts';
import { incidentTypeLabel, labelOf } from '../i18n/labels.ts';
import { ActionNote } from './action-note.tsx';
import {
  CHANNELS,
  deviceName,
  readPreferencesForm,
  SEVERITIES,
  type Channel,
  type FormReading,
  type NotificationPreferences,
} from './notification-preferences.ts';
import { PushControl } from './push-card.tsx';
import { useAction, type ActionNote as Note } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface PushDevice {
  id: string;
  endpoint: string;
  user_agent: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface NotificationSettingsProps {
  preferences: NotificationPreferences;
  devices: PushDevice[];
  /** The incident types to choose from (INCIDENT_TYPES). */
  types: readonly string[];
}

/** What a test notification came to: how many of the person's phones and browsers it reached. */
export function testResultNote(result: { sent: number; failed: number }, t: I18n['t']): Note {
  const total = result.sent + result.failed;
  if (total === 0) return { text: t('notify.testNone'), error: true };
  return { text: t('notify.testSent', { sent: result.sent, total }), error: result.failed > 0 };
}

/** Reads the form and, when it makes sense, saves it; the reading says what to fix otherwise. */
export async function savePreferences(form: FormData, t: I18n['t'], call: ApiCall = api): Promise<FormReading> {
  const reading = readPreferencesForm(form, t);
  if (reading.ok) await call('/api/v1/notifications/preferences', { method: 'PUT', body: reading.value });
  return reading;
}

function ChannelFields({
  channel,
  value,
  types,
}: {
  channel: Channel;
  value: NotificationPreferences['channels'][Channel];
  types: readonly string[];
}) {
  const { t } = useI18n();
  const [allTypes, setAllTypes] = useState(value.types === null);
  const id = (suffix: string) => `${channel}-${suffix}`;
  return (
    <fieldset class="notify-channel">
      <legend>{t(channel === 'push' ? 'notify.push' : 'notify.email')}</legend>
      <label class="toggle">
        <input type="checkbox" id={id('enabled')} name={`${channel}_enabled`} defaultChecked={value.enabled} />{' '}
        {t('notify.channelOn')}
      </label>
      <fieldset class="choices">
        <legend>{t('notify.severities')}</legend>
        {SEVERITIES.map((severity) => (
          <label class="toggle">
            <input
              type="checkbox"
              id={id(`severity-${severity}`)}
              name={`${channel}_severity`}
              value={severity}
              defaultChecked={value.severities.includes(severity)}
            />{' '}
            {labelOf(t, 'severity', severity)}
          </label>
        ))}
      </fieldset>
      <fieldset class="choices">
        <legend>{t('notify.types')}</legend>
        <label class="toggle">
          <input
            type="checkbox"
            id={id('all-types')}
            name={`${channel}_all_types`}
            checked={allTypes}
            onChange={(e) => setAllTypes((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          {t('notify.allTypes')}
        </label>
        {types.map((type) => (
          <label class="toggle">
            <input
              type="checkbox"
              id={id(`type-${type}`)}
              name={`${channel}_type`}
              value={type}
              disabled={allTypes}
              defaultChecked={allTypes || (value.types ?? []).includes(type)}
            />{' '}
            {incidentTypeLabel(t, type)}
          </label>
        ))}
      </fieldset>
      {channel === 'email' && (
        <label class="toggle">
          <input type="checkbox" id="email-digest" name="email_digest" defaultChecked={value.digest ?? false} />{' '}
          {t('notify.digest')}
        </label>
      )}
    </fieldset>
  );
}

function Devices({ initial }: { initial: PushDevice[] }) {
  const { t, dateTime } = useI18n();
  const [devices, setDevices] = useState(initial);
  const [mine, setMine] = useState<string | null>(null);
  // Remounts the "turn on" control after this phone's own entry is removed, so it offers to turn alerts on again.
  const [controlKey, setControlKey] = useState(0);
  const { busy, note, run } = useAction();
  const [testing, setTesting] = useState(false);
  const [testNote, setTestNote] = useState<Note | null>(null);

  // Which one is this browser: only the browser knows its subscription.
  const findMine = () =>
    currentEndpoint(browserPushEnvironment())
      .then(setMine)
      .catch(() => setMine(null));
  useEffect(() => void findMine(), []);

  const reload = async () => {
    setDevices((await api<{ items: PushDevice[] }>('/api/v1/notifications/push-subscriptions')).items);
    await findMine();
  };
  const remove = (device: PushDevice) =>
    run(async () => {
      await api(`/api/v1/notifications/push-subscriptions/${encodeURIComponent(device.id)}`, { method: 'DELETE' });
      setDevices((list) => list.filter((d) => d.id !== device.id));
      if (device.endpoint === mine) {
        // Otherwise this browser would keep a subscription the server no longer knows, and say it gets alerts.
        await unsubscribeThisPhone(browserPushEnvironment()).catch(() => {});
        setMine(null);
        setControlKey((k) => k + 1);
      }
    }, t('notify.removed'));
  const sendTest = async () => {
    setTesting(true);
    setTestNote(null);
    try {
      setTestNote(
        testResultNote(
          await api<{ sent: number; failed: number }>('/api/v1/notifications/test', { method: 'POST', body: {} }),
          t,
        ),
      );
    } catch (e) {
      setTestNote({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setTesting(false);
    }
  };

  return (
    <section class="notify-devices" aria-labelledby="notify-devices-title">
      <h3 id="notify-devices-title">{t('notify.devices')}</h3>
      {devices.length === 0 ? (
        <p class="muted">{t('notify.noDevices')}</p>
      ) : (
        <ul class="device-list" data-testid="push-devices">
          {devices.map((device) => {
            const name =
              device.endpoint === mine
                ? t('push.thisPhone')
                : (deviceName(device.user_agent) ?? t('notify.unknownDevice'));
            return (
              <li>
                <span>
                  <strong>{name}</strong>
                  <br />
                  <span class="muted">
                    {t('notify.deviceAdded', { date: dateTime(device.created_at) })}
                    {device.last_used_at && ` · ${t('notify.deviceUsed', { date: dateTime(device.last_used_at) })}`}
                  </span>
                </span>
                <button
                  type="button"
                  class="secondary"
                  disabled={busy}
                  aria-label={t('notify.removeLabel', { device: name })}
                  onClick={() => remove(device)}
                >
                  {t('notify.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <ActionNote note={note} />
      <PushControl key={controlKey} dismissable={false} onSubscribed={() => void reload().catch(() => {})} />
      <div class="actions">
        <button type="button" class="secondary" onClick={sendTest} disabled={testing}>
          {t('notify.test')}
        </button>
      </div>
      <ActionNote note={testNote} />
    </section>
  );
}

export default function NotificationSettings({ preferences, devices, types }: NotificationSettingsProps) {
  const { t, timeZone } = useI18n();
  const { busy, note, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    return run(async () => {
      const reading = await savePreferences(new FormData(form), t);
      if (!reading.ok) {
        form.querySelector<HTMLInputElement>(`#${reading.field}`)?.focus();
        throw new Error(reading.message);
      }
    }, t('notify.saved'));
  };

  const q = preferences.quiet_hours;
  return (
    <section class="card notification-settings" aria-labelledby="notify-title" data-testid="notification-settings">
      <h2 id="notify-title">{t('notify.title')}</h2>
      <p class="muted">{t('notify.intro')}</p>
      <form onSubmit={submit} noValidate>
        {CHANNELS.map((channel) => (
          <ChannelFields channel={channel} value={preferences.channels[channel]} types={types} />
        ))}
        <fieldset class="notify-quiet">
          <legend>{t('notify.quiet')}</legend>
          <label class="toggle">
            <input
              type="checkbox"
              id="quiet-enabled"
              name="quiet_enabled"
              defaultChecked={preferences.quiet_hours.enabled}
            />{' '}
            {t('notify.quietOn')}
          </label>
          <div class="settings-grid">
            <div>
              <label for="quiet-start">{t('notify.quietStart')}</label>
              <input id="quiet-start" name="quiet_start" type="time" defaultValue={q.start} />
            </div>
            <div>
              <label for="quiet-end">{t('notify.quietEnd')}</label>
              <input id="quiet-end" name="quiet_end" type="time" defaultValue={q.end} />
            </div>
          </div>
          <p class="hint">{t('notify.quietHint', { zone: timeZone })}</p>
          <label class="toggle">
            <input
              type="checkbox"
              id="quiet-allow-critical"
              name="quiet_allow_critical"
              defaultChecked={q.allow_critical}
            />{' '}
            {t('notify.allowCritical')}
          </label>
        </fieldset>
        <button type="submit" disabled={busy}>
          {t('notify.save')}
        </button>
        <ActionNote note={note} />
      </form>
      <Devices initial={devices} />
    </section>
  );
}
