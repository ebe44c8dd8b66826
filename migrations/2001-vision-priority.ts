/**
 * Vision that keeps up (issue 20):
 * - jobs.priority: among due jobs the highest runs first (the db-queue's claim orders by it);
 * - frames.priority: `high` (a moving cabin, a telemetry event or device trigger just before, a reviewer's request)
 *   or `routine`; frames.settled_at: when the analysis settled, for the analysis lag in /metrics;
 * - analysis_status `skipped` (analysis.skipped_reason `stale` or `backlog`): routine frames not analysed at all.
 */
import { sqlMigration } from './sql-migration.ts';

export const visionPriority = sqlMigration(`
  ALTER TABLE jobs ADD COLUMN priority smallint NOT NULL DEFAULT 0;
  DROP INDEX jobs_due_idx;
  CREATE INDEX jobs_due_idx ON jobs (priority DESC, run_at, id) WHERE status IN ('queued', 'running');

  ALTER TABLE frames DROP CONSTRAINT frames_analysis_status_check;
  ALTER TABLE frames ADD CONSTRAINT frames_analysis_status_check CHECK (analysis_status IN ('pending', 'done', 'failed', 'not_configured', 'skipped'));
  ALTER TABLE frames ADD COLUMN priority text NOT NULL DEFAULT 'routine' CHECK (priority IN ('high', 'routine'));
  ALTER TABLE frames ADD COLUMN settled_at timestamptz;
  -- the per-fleet backlog check at upload, and the lag/share figures over a recent window
  CREATE INDEX frames_pending_routine_idx ON frames (fleet_id) WHERE analysis_status = 'pending' AND priority = 'routine';
  CREATE INDEX frames_fleet_received_idx ON frames (fleet_id, received_at);
`);
