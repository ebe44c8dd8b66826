/** How urgent a driver's licence is, for badges and alerts: expired, or expiring within 7 or 30 days. */
export type LicenceStatus = 'expired' | 'expires_within_7_days' | 'expires_within_30_days' | 'valid';

export function licenceStatus(expiresOn: string, todayIso: string): LicenceStatus {
  const days = (Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${todayIso}T00:00:00Z`)) / 86_400_000;
  if (days < 0) return 'expired';
  if (days < 7) return 'expires_within_7_days';
  if (days < 30) return 'expires_within_30_days';
  return 'valid';
}
