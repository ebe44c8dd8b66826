/**
 * Driver view (issue 21): a fleet opts in with fleets.drivers_see_own_score (off by default: a driver's score is the
 * fleet's business until the owner decides otherwise); driver_share_links are read-only links to one driver's own
 * score. Like incident share links only the token's SHA-256 is stored, so a copy of the database opens nothing.
 */
import { sqlMigration } from './sql-migration.ts';

export const driverShareLinks = sqlMigration(`
  ALTER TABLE fleets ADD COLUMN drivers_see_own_score boolean NOT NULL DEFAULT false;

  CREATE TABLE driver_share_links (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    driver_id text NOT NULL REFERENCES drivers(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_by text REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  );
  CREATE INDEX driver_share_links_driver_idx ON driver_share_links (driver_id);
`);
