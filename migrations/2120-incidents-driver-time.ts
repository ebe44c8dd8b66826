/**
 * Leaderboard streaks (issue 21): a driver's latest incident among those that store their driver, found by one
 * backward index step per driver instead of a pass over the fleet's 90 days of incidents.
 */
import { sqlMigration } from './sql-migration.ts';

export const incidentsDriverTime = sqlMigration(`
  CREATE INDEX incidents_driver_time_idx ON incidents (driver_id, occurred_at) WHERE driver_id IS NOT NULL;
`);
