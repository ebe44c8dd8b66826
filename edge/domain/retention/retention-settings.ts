/**
 * How long a fleet's data is kept, in days (0: for ever). The defaults come from the configuration (the seed's:
 * frames 7, reports 30, evidence packs 90; fixes 365); a fleet overrides any of them (fleets.retention).
 * Incident evidence is never subject to the frame or fix retention: it stays as long as the incident.
 */
import { z } from 'zod';
import type { Config } from '../../config.ts';

const days = z.number().int().min(0).max(3650);

export const retentionOverrides = z.object({ frames_days: days, fixes_days: days, reports_days: days, evidence_packs_days: days }).partial().strict();

export type RetentionOverrides = z.infer<typeof retentionOverrides>;
export type RetentionKind = 'frames' | 'fixes' | 'reports' | 'evidence_packs';
export const RETENTION_KINDS: RetentionKind[] = ['frames', 'fixes', 'reports', 'evidence_packs'];
export type RetentionDays = Record<RetentionKind, number>;

type RetentionConfig = Pick<Config, 'FRAME_RETENTION_DAYS' | 'FIX_RETENTION_DAYS' | 'REPORT_RETENTION_DAYS' | 'EVIDENCE_PACK_RETENTION_DAYS'>;

export function defaultRetention(config: RetentionConfig): RetentionDays {
  return { frames: config.FRAME_RETENTION_DAYS, fixes: config.FIX_RETENTION_DAYS, reports: config.REPORT_RETENTION_DAYS, evidence_packs: config.EVIDENCE_PACK_RETENTION_DAYS };
}

/** Stored overrides are validated on write; an unreadable value falls back to the defaults (never "delete now"). */
export function retentionInForce(fleet: { retention?: unknown }, config: RetentionConfig): RetentionDays {
  const defaults = defaultRetention(config);
  const parsed = retentionOverrides.safeParse(fleet.retention ?? {});
  const o = parsed.success ? parsed.data : {};
  return { frames: o.frames_days ?? defaults.frames, fixes: o.fixes_days ?? defaults.fixes, reports: o.reports_days ?? defaults.reports, evidence_packs: o.evidence_packs_days ?? defaults.evidence_packs };
}

/** The API's shape: `{ frames_days, fixes_days, reports_days, evidence_packs_days }`. */
export function retentionAsJson(days: RetentionDays) {
  return { frames_days: days.frames, fixes_days: days.fixes, reports_days: days.reports, evidence_packs_days: days.evidence_packs };
}
