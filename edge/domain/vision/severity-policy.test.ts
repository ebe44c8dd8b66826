/** The one severity policy, row by row: speed-aware, the same for every analyser. */
import { describe, expect, it } from 'vitest';
import { policyVerdict } from './policy-verdict.ts';
import { motionState, severityOf, type FindingDetail } from './severity-policy.ts';

const at = (speedKmh: number | null) => ({ speedKmh });

describe('severityOf', () => {
  it.each<[FindingDetail, string | null, string | null, string | null]>([
    // detail, moving, parked, unknown speed
    ['phone_in_hand', 'MEDIUM', null, 'MEDIUM'],
    ['phone_at_ear', 'MEDIUM', null, 'MEDIUM'],
    ['phone_looked_at', 'HIGH', null, 'HIGH'],
    ['eyes_closing', 'HIGH', null, 'HIGH'],
    ['eyes_closed', 'CRITICAL', null, 'CRITICAL'],
    ['looking_away', 'MEDIUM', null, 'MEDIUM'],
    ['yawn', 'LOW', null, 'LOW'],
    ['smoking', 'MEDIUM', 'LOW', 'MEDIUM'],
    ['no_driver', 'HIGH', null, 'LOW'],
    ['lens_blocked', 'HIGH', 'MEDIUM', 'HIGH'],
    ['collision', 'CRITICAL', 'CRITICAL', 'CRITICAL'],
    ['other', 'MEDIUM', 'LOW', 'MEDIUM'],
  ])('%s: moving %s, parked %s, unknown %s', (detail, moving, parked, unknown) => {
    const type = 'OTHER';
    expect(severityOf({ type, detail }, at(50))).toBe(moving);
    expect(severityOf({ type, detail }, at(0))).toBe(parked);
    expect(severityOf({ type, detail }, at(null))).toBe(unknown);
  });

  it('raises sustained distraction and repeated yawns one step', () => {
    expect(severityOf({ type: 'DISTRACTION', detail: 'looking_away', sustained: true }, at(50))).toBe('HIGH');
    expect(severityOf({ type: 'YAWNING', detail: 'yawn', sustained: true }, at(50))).toBe('MEDIUM');
  });

  it('calls a taxi below 5 km/h parked', () => {
    expect([motionState(at(4.9)), motionState(at(5)), motionState(at(null))]).toEqual(['parked', 'moving', 'unknown']);
  });
});

describe('policyVerdict', () => {
  const phone = { incident_detected: true, type: 'PHONE_USAGE' as const, confidence: 0.9, description: 'Typing.' };
  it('grades a model’s named incident by what it saw and the speed', () => {
    expect(policyVerdict(phone, 'phone_looked_at', at(40))).toMatchObject({ incident_detected: true, severity: 'HIGH' });
    expect(policyVerdict(phone, null, at(40))).toMatchObject({ severity: 'MEDIUM' });
    expect(policyVerdict(phone, 'phone_looked_at', at(0))).toMatchObject({ incident_detected: false, type: null, severity: null });
    expect(policyVerdict({ ...phone, incident_detected: false }, null, at(40))).toMatchObject({ incident_detected: false, type: null });
    expect(policyVerdict({ ...phone, type: null }, null, at(40))).toMatchObject({ type: 'OTHER', severity: 'MEDIUM' });
  });
});
