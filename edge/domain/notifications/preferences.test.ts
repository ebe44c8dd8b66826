import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFERENCES,
  decide,
  inQuietHours,
  preferencesOrDefault,
  preferencesSchema,
  type NotificationPreferences,
} from './preferences.ts';

const MADRID = 'Europe/Madrid';
// Madrid is UTC+2 in June: 21:30 UTC is 23:30 local.
const at = (utc: string) => Date.parse(utc);
const quiet = (over: Partial<NotificationPreferences['quiet_hours']> = {}): NotificationPreferences => ({
  ...structuredClone(DEFAULT_PREFERENCES),
  quiet_hours: { enabled: true, start: '22:00', end: '07:00', allow_critical: true, ...over },
});

describe('notification preferences', () => {
  it('defaults to CRITICAL and HIGH by push, CRITICAL by email, no digest, quiet hours off', () => {
    expect(preferencesOrDefault(null)).toEqual({
      channels: {
        push: { enabled: true, severities: ['CRITICAL', 'HIGH'], types: null },
        email: { enabled: true, severities: ['CRITICAL'], types: null, digest: false },
      },
      quiet_hours: { enabled: false, start: '22:00', end: '07:00', allow_critical: true },
    });
    const high = { severity: 'HIGH' as const, type: 'PHONE_USAGE' };
    expect(decide(DEFAULT_PREFERENCES, 'push', high, MADRID, at('2026-06-01T10:00:00Z'))).toBe('send');
    expect(decide(DEFAULT_PREFERENCES, 'email', high, MADRID, at('2026-06-01T10:00:00Z'))).toBe('skip');
    expect(
      decide(DEFAULT_PREFERENCES, 'email', { ...high, severity: 'CRITICAL' }, MADRID, at('2026-06-01T10:00:00Z')),
    ).toBe('send');
    expect(
      decide(DEFAULT_PREFERENCES, 'push', { ...high, severity: 'MEDIUM' }, MADRID, at('2026-06-01T10:00:00Z')),
    ).toBe('skip');
  });

  it('reads quiet hours on the fleet’s wall clock, across midnight', () => {
    const q = quiet().quiet_hours;
    expect(inQuietHours(q, MADRID, at('2026-06-01T19:59:00Z'))).toBe(false); // 21:59 local
    expect(inQuietHours(q, MADRID, at('2026-06-01T20:00:00Z'))).toBe(true); // 22:00 local
    expect(inQuietHours(q, MADRID, at('2026-06-02T04:59:00Z'))).toBe(true); // 06:59 local
    expect(inQuietHours(q, MADRID, at('2026-06-02T05:00:00Z'))).toBe(false); // 07:00 local
    // The same instant is daytime for a fleet in Mexico City (UTC−6: 14:00).
    expect(inQuietHours(q, 'America/Mexico_City', at('2026-06-01T20:00:00Z'))).toBe(false);
    // A daytime window (13:00–15:00) does not wrap.
    const siesta = quiet({ start: '13:00', end: '15:00' }).quiet_hours;
    expect(inQuietHours(siesta, MADRID, at('2026-06-01T11:30:00Z'))).toBe(true);
    expect(inQuietHours(siesta, MADRID, at('2026-06-01T20:30:00Z'))).toBe(false);
    expect(inQuietHours({ ...q, enabled: false }, MADRID, at('2026-06-01T22:00:00Z'))).toBe(false);
  });

  it('holds alerts in quiet hours, lets CRITICAL through when allowed, and collects email for the digest', () => {
    const night = at('2026-06-01T23:00:00Z'); // 01:00 local
    const high = { severity: 'HIGH' as const, type: 'HARSH_BRAKING' };
    const critical = { severity: 'CRITICAL' as const, type: 'ACCIDENT' };
    expect(decide(quiet(), 'push', high, MADRID, night)).toBe('hold_quiet');
    expect(decide(quiet(), 'push', critical, MADRID, night)).toBe('send');
    expect(decide(quiet({ allow_critical: false }), 'push', critical, MADRID, night)).toBe('hold_quiet');
    const digest = quiet({ enabled: false });
    digest.channels.email.digest = true;
    expect(decide(digest, 'email', critical, MADRID, night)).toBe('hold_digest');
    expect(decide(digest, 'push', critical, MADRID, night)).toBe('send');
  });

  it('filters by incident type; notices (no type) pass any list; null means every type', () => {
    const prefs = structuredClone(DEFAULT_PREFERENCES);
    prefs.channels.push.types = ['ACCIDENT'];
    const noon = at('2026-06-01T10:00:00Z');
    expect(decide(prefs, 'push', { severity: 'HIGH', type: 'PHONE_USAGE' }, MADRID, noon)).toBe('skip');
    expect(decide(prefs, 'push', { severity: 'HIGH', type: 'ACCIDENT' }, MADRID, noon)).toBe('send');
    expect(decide(prefs, 'push', { severity: 'HIGH', type: null }, MADRID, noon)).toBe('send');
    prefs.channels.push.enabled = false;
    expect(decide(prefs, 'push', { severity: 'CRITICAL', type: 'ACCIDENT' }, MADRID, noon)).toBe('skip');
  });

  it('refuses unknown types, severities, fields and times, naming the field', () => {
    const bad = (mutate: (p: any) => void) => {
      const p: any = structuredClone(DEFAULT_PREFERENCES);
      mutate(p);
      const result = preferencesSchema.safeParse(p);
      expect(result.success).toBe(false);
      return result.error!.issues.map((i) => i.path.join('.'));
    };
    expect(bad((p) => (p.channels.push.types = ['TELEPORTING']))).toEqual(['channels.push.types.0']);
    expect(bad((p) => (p.channels.email.severities = ['URGENT']))).toEqual(['channels.email.severities.0']);
    expect(bad((p) => (p.quiet_hours.start = '24:00'))).toEqual(['quiet_hours.start']);
    expect(bad((p) => (p.channels.sms = { enabled: true }))).toEqual(['channels']);
    expect(bad((p) => delete p.channels.email.digest)).toEqual(['channels.email.digest']);
  });
});
