import { describe, expect, it } from 'vitest';
import { addDays, localDayAndHour, noticeLevel, noticeMessage, noticeSeverity } from './licence-notices.ts';

describe('licence notices', () => {
  it('steps from valid to 30 days, 7 days and expired, on the day boundaries the badges use', () => {
    const today = '2026-06-01';
    expect(noticeLevel('2026-07-01', today)).toBeNull(); // 30 days away
    expect(noticeLevel('2026-06-30', today)).toBe('expires_within_30_days');
    expect(noticeLevel('2026-06-08', today)).toBe('expires_within_30_days'); // 7 days away
    expect(noticeLevel('2026-06-07', today)).toBe('expires_within_7_days');
    expect(noticeLevel('2026-06-01', today)).toBe('expires_within_7_days'); // expires at the end of today
    expect(noticeLevel('2026-05-31', today)).toBe('expired');
    expect(['expires_within_30_days', 'expires_within_7_days', 'expired'].map((l) => noticeSeverity(l as never))).toEqual(['LOW', 'MEDIUM', 'HIGH']);
  });

  it("reads the fleet's local day and hour, across midnight and DST", () => {
    // 23:30 UTC on 31 May is already 1 June in Madrid (UTC+2 in summer) and still 31 May in Lima (UTC-5).
    const at = Date.parse('2026-05-31T23:30:00Z');
    expect(localDayAndHour('Europe/Madrid', at)).toEqual({ date: '2026-06-01', hour: 1 });
    expect(localDayAndHour('America/Lima', at)).toEqual({ date: '2026-05-31', hour: 18 });
    expect(localDayAndHour('UTC', at)).toEqual({ date: '2026-05-31', hour: 23 });
    // Madrid in winter is UTC+1.
    expect(localDayAndHour('Europe/Madrid', Date.parse('2026-01-15T07:00:00Z'))).toEqual({ date: '2026-01-15', hour: 8 });
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });

  it("writes the message in the fleet's language, with the date, how soon and the taxi", () => {
    const base = { driverName: 'Carmen Ortiz', today: '2026-06-01', plate: '9012 FGH' };
    expect(noticeMessage({ ...base, level: 'expires_within_7_days', expiresOn: '2026-06-04' }, 'en')).toBe('Licence expires soon — Carmen Ortiz: the driving licence expires on 4 June 2026 (in 3 days). Drives 9012 FGH.');
    expect(noticeMessage({ ...base, level: 'expires_within_7_days', expiresOn: '2026-06-02' }, 'es')).toBe('La licencia caduca pronto — Carmen Ortiz: el permiso de conducir caduca el 2 de junio de 2026 (mañana). Conduce 9012 FGH.');
    expect(noticeMessage({ ...base, level: 'expired', expiresOn: '2026-05-30', plate: null }, 'es')).toBe('Licencia caducada — Carmen Ortiz: el permiso de conducir caducó el 30 de mayo de 2026.');
    expect(noticeMessage({ ...base, level: 'expires_within_30_days', expiresOn: '2026-06-01', plate: null }, 'en')).toBe('Licence expires soon — Carmen Ortiz: the driving licence expires on 1 June 2026 (today).');
  });
});
