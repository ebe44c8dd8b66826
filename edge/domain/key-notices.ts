/**
 * Key-expiry reminders, the pure part: which step a device key or API key has reached (30, 7, 1 days before it
 * expires), how urgent that is, and what the owner reads in the fleet's language. The check
 * (jobs/check-key-expiry.ts) raises each step once per key and expiry.
 */
import type { KeyNoticeLevel, Severity } from '../db/schema.ts';

export type KeyKind = 'device' | 'api_key';
type Language = 'es' | 'en';

const STEPS: Array<{ days: number; level: KeyNoticeLevel; severity: Severity }> = [
  { days: 1, level: 'expires_within_1_day', severity: 'HIGH' },
  { days: 7, level: 'expires_within_7_days', severity: 'MEDIUM' },
  { days: 30, level: 'expires_within_30_days', severity: 'LOW' },
];

/** The nearest step reached at `now` (an expired key is past reminding: it is refused, and says so), or null. */
export function keyNoticeStep(expiresAt: number, now: number): { level: KeyNoticeLevel; severity: Severity } | null {
  const left = expiresAt - now;
  if (left <= 0) return null;
  return STEPS.find((s) => left <= s.days * 86_400_000) ?? null;
}

export function keyNoticeMessage(input: { kind: KeyKind; name: string; plate: string | null; expiresAt: number; now: number }, language: Language): string {
  const days = Math.max(0, Math.ceil((input.expiresAt - input.now) / 86_400_000));
  const date = new Intl.DateTimeFormat(language === 'es' ? 'es-ES' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(input.expiresAt);
  if (language === 'es') {
    const when = days <= 1 ? 'en menos de un día' : `en ${days} días`;
    if (input.kind === 'device') return `La clave del dispositivo caduca ${when} — ${input.plate ?? ''} (${input.name}), el ${date}. Se renueva sola cuando el dispositivo se conecta; si sigue sin conexión, vuelve a darlo de alta con el código QR.`;
    return `La clave de API «${input.name}» caduca ${when}, el ${date}. Rótala (POST /api/v1/api-keys/{id}/rotate) y usa la nueva.`;
  }
  const when = days <= 1 ? 'in less than a day' : `in ${days} days`;
  if (input.kind === 'device') return `Device key expires ${when} — ${input.plate ?? ''} (${input.name}), on ${date}. It renews itself when the device connects; if it stays offline, provision it again with the QR code.`;
  return `API key "${input.name}" expires ${when}, on ${date}. Rotate it (POST /api/v1/api-keys/{id}/rotate) and use the new one.`;
}
