/** Frames by capture time across every vehicle: what the retention sweep (jobs/purge-old-frames.ts) reads, oldest first. */
import { sqlMigration } from './sql-migration.ts';

export const frameRetentionIndex = sqlMigration(`
  CREATE INDEX frames_captured_idx ON frames (captured_at);
`);
