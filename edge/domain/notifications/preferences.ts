/**
 * What one person wants to hear about, on which channel, and when not (quiet hours, in the fleet's timezone).
 * Stored whole in notification_preferences; a person who never saved any gets DEFAULT_PREFERENCES. `decide` is the
 * pure rule the notifier applies to each alert and channel — tested with explicit instants (preferences.test.ts).
 */
import { z } from 'zod';
import type { Severity } from '../../db/schema.ts';
import { INCIDENT_TYPES } from '../incidents/incident-types.ts';
import { localDayAndMinute } from '../fleet-time.ts';
import { SEVERITIES } from '../vision/vision-verdict.ts';

const severities = z
  .array(z.enum(SEVERITIES))
  .max(SEVERITIES.length)
  .transform((list) => [...new Set(list)]);
// null = every type; notices (key and licence expiry) have no incident type and pass any list.
const types = z
  .array(z.enum(INCIDENT_TYPES, { message: `expected incident types from ${INCIDENT_TYPES.join(', ')}` }))
  .max(INCIDENT_TYPES.length)
  .nullable()
  .transform((list) => (list ? [...new Set(list)] : null));
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time HH:MM (00:00–23:59)' });

export const preferencesSchema = z
  .object({
    channels: z
      .object({
        push: z.object({ enabled: z.boolean(), severities, types }).strict(),
        email: z.object({ enabled: z.boolean(), severities, types, digest: z.boolean() }).strict(),
      })
      .strict(),
    quiet_hours: z
      .object({ enabled: z.boolean(), start: clockTime, end: clockTime, allow_critical: z.boolean() })
      .strict(),
  })
  .strict();

export type NotificationPreferences = z.output<typeof preferencesSchema>;
export type Channel = 'push' | 'email';

export const DEFAULT_PREFERENCES: NotificationPreferences = {
  channels: {
    push: { enabled: true, severities: ['CRITICAL', 'HIGH'], types: null },
    email: { enabled: true, severities: ['CRITICAL'], types: null, digest: false },
  },
  quiet_hours: { enabled: false, start: '22:00', end: '07:00', allow_critical: true },
};

/** A stored value read back; one that no longer parses (an old shape) falls back to the defaults. */
export function preferencesOrDefault(stored: unknown): NotificationPreferences {
  const parsed = preferencesSchema.safeParse(stored);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_PREFERENCES);
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `at` falls in the quiet hours, read on the fleet's wall clock; start after end spans midnight. */
export function inQuietHours(quiet: NotificationPreferences['quiet_hours'], timeZone: string, at: number): boolean {
  if (!quiet.enabled) return false;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  const { minute } = localDayAndMinute(timeZone, at);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

export interface AlertFacts {
  severity: Severity;
  /** The incident type; null for notices. */
  type: string | null;
}

/**
 * For one alert and channel: `send` now, `skip` (not wanted on this channel), `hold_quiet` (wanted, but it is quiet
 * time: email waits for the morning digest, push is dropped) or `hold_digest` (email collected for the digest).
 */
export type Decision = 'send' | 'skip' | 'hold_quiet' | 'hold_digest';

export function decide(
  prefs: NotificationPreferences,
  channel: Channel,
  alert: AlertFacts,
  timeZone: string,
  at: number,
): Decision {
  const wanted = prefs.channels[channel];
  if (!wanted.enabled || !wanted.severities.includes(alert.severity)) return 'skip';
  if (wanted.types && alert.type !== null && !wanted.types.includes(alert.type as (typeof INCIDENT_TYPES)[number]))
    return 'skip';
  const quiet =
    inQuietHours(prefs.quiet_hours, timeZone, at) &&
    !(alert.severity === 'CRITICAL' && prefs.quiet_hours.allow_critical);
  if (quiet) return 'hold_quiet';
  if (channel === 'email' && prefs.channels.email.digest) return 'hold_digest';
  return 'send';
}
