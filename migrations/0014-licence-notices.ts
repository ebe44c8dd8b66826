/**
 * Which licence-expiry alerts were already raised: one per driver, expiry date and level (30 days, 7 days, expired),
 * so the daily check tells an owner once per step, and a renewed licence (a new date) starts afresh.
 */
import { sqlMigration } from './sql-migration.ts';

export const licenceNotices = sqlMigration(`
  CREATE TABLE licence_notices (
    driver_id text NOT NULL REFERENCES drivers(id) ON DELETE CASCADE,
    expires_on date NOT NULL,
    level text NOT NULL CHECK (level IN ('expires_within_30_days', 'expires_within_7_days', 'expired')),
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    alert_id text REFERENCES alerts(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (driver_id, expires_on, level)
  );
  CREATE INDEX drivers_licence_expiry_idx ON drivers (fleet_id, licence_expires_on);
`);
