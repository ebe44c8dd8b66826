/**
 * Vision that keeps up, second part (issue 20): a reviewer can ask for a frame to be analysed (again), and a
 * telemetry event that arrives after frames of its window upgrades them.
 * - frames.priority_reason: why a frame is high (`reviewer`, `device_trigger`, `telemetry_event`, `moving_cabin`);
 *   null for a routine frame;
 * - frames.analysis_round: 0 for the upload's analysis; each reopening (a reviewer's request, a late event) adds one,
 *   and the round's job has its own dedupe id (`analyse-frame:<id>:<round>`), so every round is queued exactly once;
 * - frames.analysis_history: the results a reopening replaced (status, analysis, settled_at, when and why), oldest
 *   first, so a re-analysis never loses what the frame was found to show before;
 * - frames.review_request_key: the Idempotency-Key of the last reviewer request, so its retry queues nothing more.
 */
import { sqlMigration } from './sql-migration.ts';

export const frameReanalysis = sqlMigration(`
  ALTER TABLE frames ADD COLUMN priority_reason text CHECK (priority_reason IN ('reviewer', 'device_trigger', 'telemetry_event', 'moving_cabin'));
  ALTER TABLE frames ADD COLUMN analysis_round integer NOT NULL DEFAULT 0;
  ALTER TABLE frames ADD COLUMN analysis_history jsonb;
  ALTER TABLE frames ADD COLUMN review_request_key text;
`);
