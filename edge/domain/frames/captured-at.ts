/**
 * When a frame was taken, as the device says (ISO-8601 with Z or an offset), held to the same window as GPS fixes:
 * not beyond the allowed clock skew in the future, not older than the retention window. A device that says
 * nothing gets the arrival time.
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { FIX_RETENTION_DAYS, MAX_CLOCK_SKEW_MS } from '../ingest/fix-input.ts';

const isoDateTime = z.iso.datetime({ offset: true });

/** The first value given wins: form field, then query parameter, then header. */
export function resolveCapturedAt(candidates: (string | undefined)[], now: number): Date {
  const raw = candidates.map((c) => c?.trim()).find((c) => c !== undefined && c !== '');
  if (raw === undefined) return new Date(now);
  const invalid = (message: string) => new AppError('bad_request', `captured_at ${message}`, { details: { reason: 'captured_at_invalid', captured_at: raw } });
  if (!isoDateTime.safeParse(raw).success) throw invalid('must be an ISO-8601 date-time with Z or an offset, e.g. 2026-06-01T08:00:00.000Z');
  const at = Date.parse(raw);
  if (at > now + MAX_CLOCK_SKEW_MS) throw invalid('is in the future; check the device clock');
  if (at < now - FIX_RETENTION_DAYS * 86_400_000) throw invalid(`is older than the ${FIX_RETENTION_DAYS}-day retention window`);
  return new Date(at);
}
