/** A webhook may ask only for alerts from a severity up (e.g. HIGH: page someone for HIGH and CRITICAL only). */
import { sqlMigration } from './sql-migration.ts';

export const webhookMinSeverity = sqlMigration(`
  ALTER TABLE webhooks ADD COLUMN min_severity text CHECK (min_severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'));
`);
