/**
 * What a device may send as a GPS fix (device protocol v1, the seed's JSON), and the checks every fix passes:
 * coordinates in range, sane speed and heading, and a device time neither in the future (beyond a small clock
 * skew) nor older than the retention window.
 */
import { z } from 'zod';
import { findControlCharacter } from '../control-characters.ts';

export const MAX_BATCH = 500;
export const MAX_CLOCK_SKEW_MS = 2 * 60_000;
export const FIX_RETENTION_DAYS = 30;

// Speed, heading, accuracy and altitude are stored as `real` (float4), which cannot hold magnitudes below ~1.2e-38:
// such values are noise from a float printer, stored as 0 rather than refused by the database.
const FLOAT4_SMALLEST = 1.2e-38;
const real = (min: number, max: number) => z.number().min(min).max(max).transform((v) => (Math.abs(v) < FLOAT4_SMALLEST ? 0 : v));

export const fixInput = z.object({
  vehicle_id: z.string().max(64).optional(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  speed: real(0, 400).optional(),
  heading: real(0, 360).optional(),
  accuracy: real(0, 100_000).optional(),
  altitude: real(-1000, 20_000).optional(),
  timestamp: z.iso.datetime({ offset: true }),
});

export type FixInput = z.infer<typeof fixInput>;

export interface FixProblem {
  index: number;
  path: string;
  message: string;
}

/** Validates each item; the batch is accepted only when every item is valid. */
export function checkFixes(items: unknown[], now: number): { fixes: FixInput[]; problems: FixProblem[] } {
  const fixes: FixInput[] = [];
  const problems: FixProblem[] = [];
  items.forEach((item, index) => {
    const control = findControlCharacter(item);
    if (control) {
      problems.push({ index, ...control });
      return;
    }
    const parsed = fixInput.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ index, path: issue.path.join('.'), message: issue.message });
      return;
    }
    const at = Date.parse(parsed.data.timestamp);
    if (at > now + MAX_CLOCK_SKEW_MS) problems.push({ index, path: 'timestamp', message: 'is in the future; check the device clock' });
    else if (at < now - FIX_RETENTION_DAYS * 86_400_000) problems.push({ index, path: 'timestamp', message: `is older than the ${FIX_RETENTION_DAYS}-day retention window` });
    else fixes.push(parsed.data);
  });
  return { fixes, problems };
}
