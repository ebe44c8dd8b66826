/**
 * Reviewing incidents: a structured reason beside a false positive's free text, links that share an incident's
 * evidence without a login (only the token's hash is stored, so a database leak shares nothing; views are counted so
 * the fleet knows whether a link was opened), and a vehicle's camera flagged as misaligned with who flagged it and when.
 */
import { sqlMigration } from './sql-migration.ts';

export const incidentReview = sqlMigration(`
  ALTER TABLE incidents ADD COLUMN status_reason_code text
    CHECK (status_reason_code IN ('misdetection', 'camera_misaligned', 'passenger', 'glare', 'test', 'other'));

  CREATE TABLE incident_share_links (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_by text REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    views integer NOT NULL DEFAULT 0,
    last_viewed_at timestamptz
  );
  CREATE INDEX incident_share_links_incident_idx ON incident_share_links (incident_id);

  ALTER TABLE vehicles ADD COLUMN camera_misaligned boolean NOT NULL DEFAULT false;
  ALTER TABLE vehicles ADD COLUMN camera_changed_at timestamptz;
  ALTER TABLE vehicles ADD COLUMN camera_changed_by text REFERENCES users(id) ON DELETE SET NULL;
  ALTER TABLE vehicles ADD COLUMN camera_note text;
`);
