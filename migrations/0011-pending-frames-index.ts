/** Frames still waiting for analysis, oldest first: what the requeue sweep reads every few minutes. */
import { sqlMigration } from './sql-migration.ts';

export const pendingFramesIndex = sqlMigration(`
  CREATE INDEX frames_pending_idx ON frames (received_at) WHERE analysis_status = 'pending';
`);
